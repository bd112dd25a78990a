"""Secrets Rostra has to read back, such as the keys of editors' authenticator apps,
stored encrypted: a copy of the database (a backup, a leaked dump) does not give
anyone the second factor of a staff account.

Fernet (AES-128-CBC with an HMAC) under a key derived from `SECRET_KEY`; the keys of
`SECRET_KEY_FALLBACKS` still open what they sealed, so a key rotation done Django's
way keeps two-factor sign-in working. Values from before encryption (no "fernet:"
prefix) are read as they are, and the migration that introduced this sealed them.
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"
logger = logging.getLogger(__name__)


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"secret-box:{key}".encode()).digest()))
            for key in keys
        ]
    )


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(text: str) -> str:
    """`text` encrypted, with a prefix that says so."""
    return PREFIX + _box().encrypt(text.encode()).decode("ascii")


def unseal(value: str) -> str:
    """The text `seal` was given; a value from before encryption as it is. A value no
    key opens (SECRET_KEY changed without keeping the old one in SECRET_KEY_FALLBACKS)
    gives "" and an error in the log: the second factor then fails to verify, which a
    staff member can reset, instead of failing the sign-in page."""
    if not is_sealed(value):
        return value
    try:
        return _box().decrypt(value[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken:
        logger.error(
            "A stored secret could not be decrypted: SECRET_KEY changed without the old "
            "key in SECRET_KEY_FALLBACKS. Two-factor sign-in of the account fails until "
            "its authenticator is reset."
        )
        return ""
