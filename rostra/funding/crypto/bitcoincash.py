"""Bitcoin Cash addresses: CashAddr (with or without the `bitcoincash:` prefix; the
checksum always covers the prefix) and the legacy Base58Check format."""

from django.utils.translation import gettext as _

from rostra.funding.crypto import InvalidAddress
from rostra.funding.crypto.bitcoin import BECH32_CHARSET, base58check_decode, convert_bits

PREFIX = "bitcoincash"
TYPES = {0: "P2PKH", 1: "P2SH"}
HASH_SIZES = {0: 20, 1: 24, 2: 28, 3: 32, 4: 40, 5: 48, 6: 56, 7: 64}


def _polymod(values) -> int:
    generators = [0x98F2BC8E61, 0x79B76D99E2, 0xF33E5FB3C4, 0xAE2EABE2A8, 0x1E4F43E470]
    checksum = 1
    for value in values:
        top = checksum >> 35
        checksum = ((checksum & 0x07FFFFFFFF) << 5) ^ value
        for i in range(5):
            if (top >> i) & 1:
                checksum ^= generators[i]
    return checksum ^ 1


def _prefix_values(prefix: str) -> list[int]:
    return [ord(c) & 0x1F for c in prefix] + [0]


def decode_cashaddr(address: str) -> tuple[str, bytes]:
    """(type, hash) of a CashAddr address; the prefix may be omitted."""
    if address.lower() != address and address.upper() != address:
        raise InvalidAddress(_("A CashAddr address must not mix upper and lower case."))
    address = address.lower()
    prefix, _colon, payload = address.rpartition(":")
    if prefix and prefix != PREFIX:
        raise InvalidAddress(
            _("A Bitcoin Cash address starts with “%(prefix)s” or q/p.") % {"prefix": f"{PREFIX}:"}
        )
    try:
        data = [BECH32_CHARSET.index(c) for c in payload]
    except ValueError:
        raise InvalidAddress(_("The address contains characters that are not allowed.")) from None
    if len(data) < 9 or _polymod(_prefix_values(PREFIX) + data) != 0:
        raise InvalidAddress(_("The address checksum does not match: check for a typo."))
    decoded = convert_bits(data[:-8], 5, 8, False)
    if not decoded:
        raise InvalidAddress(_("This is not a valid CashAddr address."))
    version, hash_bytes = decoded[0], bytes(decoded[1:])
    kind = TYPES.get((version >> 3) & 0x0F)
    if kind is None or version & 0x80 or len(hash_bytes) != HASH_SIZES[version & 0x07]:
        raise InvalidAddress(_("This CashAddr address has an unknown type or size."))
    return kind, hash_bytes


def validate_bitcoin_cash(address: str) -> str:
    """A Bitcoin Cash address as entered (CashAddr lower-cased); else InvalidAddress."""
    address = address.strip()
    if address[:1] in ("1", "3"):
        payload = base58check_decode(address)
        if len(payload) != 21 or payload[0] not in (0x00, 0x05):
            raise InvalidAddress(_("This is not a legacy P2PKH (1…) or P2SH (3…) address."))
        return address
    decode_cashaddr(address)
    return address.lower()


def payment_uri(address: str) -> str:
    return address if address.startswith(f"{PREFIX}:") else f"{PREFIX}:{address}"
