"""Manage links' tokens and whose link an address gets: shared by the self-service
services (which check and spend links) and the e-mail tasks (which send them)."""

import secrets
from datetime import timedelta

from django.core import signing

from rostra.funding.addresses import email_key
from rostra.funding.models import Donor

MANAGE_LINK_SALT = "rostra.funding.manage-link"
MANAGE_LINK_MAX_AGE = timedelta(days=7)


def manage_link_token(donor: Donor) -> str:
    """A token for the donor's manage link: signed, dated, and naming the donor's
    current nonce, which changes when any of their links is opened."""
    if not donor.manage_nonce:
        donor.manage_nonce = secrets.token_hex(16)
        Donor.objects.filter(pk=donor.pk, manage_nonce="").update(manage_nonce=donor.manage_nonce)
        donor.refresh_from_db(fields=["manage_nonce"])
    return signing.dumps({"d": donor.pk, "n": donor.manage_nonce}, salt=MANAGE_LINK_SALT)


def donor_for_manage_link(email: str) -> Donor | None:
    """Whose link an address receives: the verified donor with that address, else the
    unverified one (whose gifts were given with it); never an erased or merged record.
    The link goes to the address on the donor's record, not the one typed."""
    key = email_key(email)
    if not key:
        return None
    return (
        Donor.objects.filter(email_key=key, merged_into__isnull=True, erased_at__isnull=True)
        .order_by("-email_verified", "pk")
        .first()
    )
