"""Address validators on the specifications' own test vectors."""

import pytest

from rostra.funding.crypto import InvalidAddress
from rostra.funding.crypto.bitcoin import base58check_decode, bitcoin_kind, validate_bitcoin
from rostra.funding.crypto.bitcoincash import decode_cashaddr, validate_bitcoin_cash
from rostra.funding.crypto.ethereum import validate_ethereum
from rostra.funding.crypto.keccak import keccak256


def test_keccak256_is_ethereums_hash_not_sha3():
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        # BIP173
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "P2WPKH"),
        ("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", "P2WSH"),
        # BIP350
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "P2TR"),
        (
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            "SegWit v1",
        ),
        ("BC1SW50QGDZ25J", "SegWit v16"),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "SegWit v2"),
        # Base58Check
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "P2PKH"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "P2SH"),
    ],
)
def test_valid_bitcoin_addresses(address, kind):
    assert bitcoin_kind(validate_bitcoin(address)) == kind


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        # BIP350: the wrong checksum constant for the witness version.
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "bech32m"),
        ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "bech32m"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "bech32 checksum"),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "witness program"),
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T5", "checksum does not match"),
        ("bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "mix upper and lower"),
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "or bc1"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "checksum does not match"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNL0", "cannot appear"),
        ("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "starts with 1 or 3"),
    ],
)
def test_invalid_bitcoin_addresses_say_why(address, reason):
    with pytest.raises(InvalidAddress, match=reason):
        validate_bitcoin(address)


CASHADDR_VECTORS = [
    # The CashAddr specification's table: legacy and CashAddr forms of the same hash.
    (
        "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
        "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu",
    ),
    (
        "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy",
        "1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR",
    ),
    ("bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r", "16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb"),
    (
        "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq",
        "3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC",
    ),
    (
        "bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e",
        "3LDsS579y7sruadqu11beEJoTjdFiFCdX4",
    ),
    (
        "bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37",
        "31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw",
    ),
]


@pytest.mark.parametrize(("cashaddr", "legacy"), CASHADDR_VECTORS)
def test_cashaddr_and_legacy_forms_hold_the_same_hash(cashaddr, legacy):
    kind, hash_bytes = decode_cashaddr(cashaddr)
    assert hash_bytes == base58check_decode(legacy)[1:]
    assert kind == ("P2SH" if legacy.startswith("3") else "P2PKH")
    assert validate_bitcoin_cash(legacy) == legacy


@pytest.mark.parametrize(("cashaddr", "_legacy"), CASHADDR_VECTORS)
def test_cashaddr_without_prefix_is_checked_against_the_prefix(cashaddr, _legacy):
    bare = cashaddr.split(":")[1]
    assert validate_bitcoin_cash(bare) == bare
    assert validate_bitcoin_cash(bare.upper()) == bare


@pytest.mark.parametrize(
    "address",
    [
        "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6q",  # last character changed
        "bchtest:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
        "qpm2qsznhks23z7629mms6s4cwef74vcwvY22gdx6a",
        "bitcoincash:",
    ],
)
def test_invalid_cashaddr(address):
    with pytest.raises(InvalidAddress):
        validate_bitcoin_cash(address)


@pytest.mark.parametrize(
    "address",
    [
        # EIP-55's own examples, and the unchecked all-caps / all-lower forms.
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0xde709f2102306220921060314715629080e2fb77",
    ],
)
def test_valid_ethereum_addresses(address):
    assert validate_ethereum(address).lower() == address.lower()


def test_ethereum_address_is_normalised_to_its_checksum_form():
    lower = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    assert validate_ethereum(lower) == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55 checksum"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "40 hexadecimal"),
        ("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "40 hexadecimal"),
        ("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "40 hexadecimal"),
    ],
)
def test_invalid_ethereum_addresses(address, reason):
    with pytest.raises(InvalidAddress, match=reason):
        validate_ethereum(address)
