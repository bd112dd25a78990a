"""Ethereum addresses with the EIP-55 mixed-case checksum (Keccak-256)."""

import re

from django.utils.translation import gettext as _

from rostra.funding.crypto import InvalidAddress
from rostra.funding.crypto.keccak import keccak256

_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


def checksum_address(address: str) -> str:
    digits = address[2:].lower()
    digest = keccak256(digits.encode("ascii")).hex()
    return "0x" + "".join(
        char.upper() if char.isalpha() and int(digest[i], 16) >= 8 else char
        for i, char in enumerate(digits)
    )


def validate_ethereum(address: str) -> str:
    """The EIP-55 form of a valid address. All-lower or all-upper hex carries no
    checksum and is accepted; mixed case must match the checksum exactly."""
    address = address.strip()
    if not _HEX_ADDRESS.match(address):
        raise InvalidAddress(_("An Ethereum address is 0x followed by 40 hexadecimal digits."))
    digits = address[2:]
    expected = checksum_address(address)
    if digits not in (digits.lower(), digits.upper()) and address != expected:
        raise InvalidAddress(
            _(
                "The capital letters of this address do not match its EIP-55 checksum: "
                "check for a typo."
            )
        )
    return expected
