"""Bitcoin addresses: Base58Check (P2PKH, P2SH), SegWit bech32 (BIP173, witness v0) and
bech32m (BIP350, witness v1+ such as Taproot)."""

import hashlib

from django.utils.translation import gettext as _

from rostra.funding.crypto import InvalidAddress

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3

MAINNET_VERSIONS = {0x00: "P2PKH", 0x05: "P2SH"}


def base58check_decode(address: str) -> bytes:
    """Payload (version byte + data) of a Base58Check string; checks the checksum."""
    number = 0
    for char in address:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise InvalidAddress(
                _("“%(char)s” cannot appear in a Base58 address.") % {"char": char}
            )
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        raise InvalidAddress(_("The address is too short."))
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        raise InvalidAddress(_("The address checksum does not match: check for a typo."))
    return payload


def _polymod(values) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if ((top >> i) & 1) else 0
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_decode(address: str) -> tuple[str, list[int], int]:
    """(human-readable part, data without checksum, checksum constant) of a bech32(m) string."""
    if address.lower() != address and address.upper() != address:
        raise InvalidAddress(_("A bech32 address must not mix upper and lower case."))
    if any(ord(c) < 33 or ord(c) > 126 for c in address):
        raise InvalidAddress(_("The address contains characters that are not allowed."))
    address = address.lower()
    separator = address.rfind("1")
    if separator < 1 or separator + 7 > len(address) or len(address) > 90:
        raise InvalidAddress(_("This is not a valid bech32 address."))
    hrp = address[:separator]
    try:
        data = [BECH32_CHARSET.index(c) for c in address[separator + 1 :]]
    except ValueError:
        raise InvalidAddress(_("The address contains characters that are not allowed.")) from None
    constant = _polymod(_hrp_expand(hrp) + data)
    if constant not in (BECH32_CONST, BECH32M_CONST):
        raise InvalidAddress(_("The address checksum does not match: check for a typo."))
    return hrp, data[:-6], constant


def convert_bits(data, from_bits: int, to_bits: int, pad: bool) -> list[int] | None:
    accumulator, bits, result = 0, 0, []
    max_value = (1 << to_bits) - 1
    for value in data:
        if value < 0 or value >> from_bits:
            return None
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & max_value)
    if pad:
        if bits:
            result.append((accumulator << (to_bits - bits)) & max_value)
    elif bits >= from_bits or ((accumulator << (to_bits - bits)) & max_value):
        return None
    return result


def decode_segwit(address: str, hrp: str = "bc") -> tuple[int, bytes]:
    """(witness version, witness program) of a SegWit address, per BIP173 and BIP350."""
    found_hrp, data, constant = bech32_decode(address)
    if found_hrp != hrp:
        raise InvalidAddress(
            _("A Bitcoin SegWit address starts with “%(prefix)s”.") % {"prefix": f"{hrp}1"}
        )
    if not data:
        raise InvalidAddress(_("The address has no witness program."))
    version = data[0]
    program = convert_bits(data[1:], 5, 8, False)
    if version > 16 or program is None or not 2 <= len(program) <= 40:
        raise InvalidAddress(_("The address has an invalid witness program."))
    if version == 0 and len(program) not in (20, 32):
        raise InvalidAddress(_("A version 0 SegWit address holds 20 or 32 bytes."))
    expected = BECH32_CONST if version == 0 else BECH32M_CONST
    if constant != expected:
        kind = "bech32" if version == 0 else "bech32m"
        raise InvalidAddress(
            _("A version %(version)s SegWit address must use the %(kind)s checksum.")
            % {"version": version, "kind": kind}
        )
    return version, bytes(program)


def validate_bitcoin(address: str) -> str:
    """A mainnet Bitcoin address, normalised (bech32 in lower case); else InvalidAddress."""
    address = address.strip()
    if address.lower().startswith("bc1"):
        decode_segwit(address)
        return address.lower()
    if address[:1] in ("1", "3"):
        payload = base58check_decode(address)
        if len(payload) != 21 or payload[0] not in MAINNET_VERSIONS:
            raise InvalidAddress(_("This is not a mainnet P2PKH (1…) or P2SH (3…) address."))
        return address
    raise InvalidAddress(
        _("A Bitcoin address starts with 1 or 3 (legacy) or bc1 (SegWit, Taproot).")
    )


def bitcoin_kind(address: str) -> str:
    if address.startswith("bc1"):
        version, program = decode_segwit(address)
        if version == 0:
            return "P2WPKH" if len(program) == 20 else "P2WSH"
        return "P2TR" if version == 1 and len(program) == 32 else f"SegWit v{version}"
    return MAINNET_VERSIONS[base58check_decode(address)[0]]
