"""Cryptocurrency address validation, written from the specifications.

Each validator returns a normalised address or raises `InvalidAddress` whose message
tells an editor what is wrong. No third-party code: the common PyPI packages lack
bech32m, reject prefix-less CashAddr, or accept wrong EIP-55 checksums.
"""


class InvalidAddress(ValueError):
    pass
