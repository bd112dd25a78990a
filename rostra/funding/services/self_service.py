"""Donors manage their own support, without a password: they ask for a link by e-mail,
the link (signed, expiring, good for one opening) lets them into a page where they
cancel a Stripe monthly gift, update its card on Stripe's customer portal, and choose
whether their name shows on the supporters wall.

Asking for a link answers the same whether or not the address is known (the e-mail
task looks the donor up), so nobody learns who gave; asking is rate-limited per
connection and per address through the cache."""

import secrets

import stripe
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core.addresses import keyed_hash
from rostra.core.ratelimit import limit_exceeded
from rostra.core.tasks import enqueue_on_commit
from rostra.funding.addresses import email_key
from rostra.funding.manage_links import MANAGE_LINK_MAX_AGE, MANAGE_LINK_SALT
from rostra.funding.models import ChannelKind, Donor, RecurringGift, RecurringGiftStatus
from rostra.funding.services.recurring import RecurringEvent, recurring_gift_record
from rostra.funding.services.stripe_api import stripe_client

EMAIL_MAX_LENGTH = Donor._meta.get_field("email").max_length


class SelfServiceRefused(ValueError):
    """What the donor is told, and the HTTP status to tell it with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def manage_link_request(*, email: str, ip_hash: str) -> None:
    """Send a manage link to the donor with this address, if there is one. The caller
    answers the same either way; a bad address is refused (400), too many requests
    from one connection too (429). Past the per-address limit nothing more is sent,
    silently, so the answer does not tell whether the address is known."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise SelfServiceRefused(
            _("Please enter the e-mail address you gave your support with.")
        ) from None
    if len(email) > EMAIL_MAX_LENGTH:
        raise SelfServiceRefused(
            _("An e-mail address has at most %(count)s characters.") % {"count": EMAIL_MAX_LENGTH}
        )
    count, seconds = settings.MANAGE_LINK_RATE_LIMIT
    if limit_exceeded("funding:manage-link", ip_hash, count=count, seconds=seconds):
        raise SelfServiceRefused(
            _("Too many links were asked for from your connection. Please try again later."),
            status=429,
        )
    address = keyed_hash(email_key(email), purpose="manage-link-address")
    if limit_exceeded("funding:manage-link-address", address, count=3, seconds=3600):
        return
    from rostra.funding.tasks import send_manage_link

    enqueue_on_commit(send_manage_link, email)


def _token_donor(token: str) -> tuple[Donor, str]:
    try:
        data = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=MANAGE_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise SelfServiceRefused(
            _("This link has expired. Ask for a new one below."), status=410
        ) from None
    except signing.BadSignature:
        raise SelfServiceRefused(_("This link is not valid. Ask for a new one below.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        raise SelfServiceRefused(_("This link is not valid. Ask for a new one below."))
    donor = Donor.objects.filter(
        pk=data["d"], merged_into__isnull=True, erased_at__isnull=True
    ).first()
    if donor is None or not isinstance(data.get("n"), str):
        raise SelfServiceRefused(_("This link is not valid. Ask for a new one below."))
    if donor.manage_nonce != data["n"]:
        raise SelfServiceRefused(
            _("This link was used already. Ask for a new one below."), status=410
        )
    return donor, data["n"]


def manage_link_check(token: str) -> Donor:
    """The donor a link is for, without using it up (for the page that asks to open it:
    mail scanners that fetch links must not spend them)."""
    return _token_donor(token)[0]


def manage_link_open(token: str) -> Donor:
    """Use the link: the donor it is for, once. The nonce changes in one conditional
    update, so two openings at once cannot both succeed."""
    donor, nonce = _token_donor(token)
    taken = Donor.objects.filter(pk=donor.pk, manage_nonce=nonce).update(
        manage_nonce=secrets.token_hex(16)
    )
    if not taken:
        raise SelfServiceRefused(
            _("This link was used already. Ask for a new one below."), status=410
        )
    return donor


def _own_stripe_gift(donor: Donor, gift_id: int) -> RecurringGift:
    """The donor's running Stripe monthly gift `gift_id`, or a refusal (404)."""
    gift = (
        RecurringGift.objects.filter(pk=gift_id, donor=donor, channel=ChannelKind.CARD)
        .exclude(status=RecurringGiftStatus.CANCELLED)
        .first()
    )
    if gift is None:
        raise SelfServiceRefused(_("There is no such monthly gift to change."), status=404)
    return gift


def recurring_gift_cancel(*, donor: Donor, gift_id: int) -> RecurringGift:
    """Cancel the donor's Stripe monthly gift at Stripe, then record it through
    `recurring_gift_record` (the webhook Stripe sends afterwards changes nothing)."""
    gift = _own_stripe_gift(donor, gift_id)
    if not settings.STRIPE_SECRET_KEY:
        raise SelfServiceRefused(_("Card gifts are not set up; please write to us."), status=503)
    try:
        stripe_client().v1.subscriptions.cancel(gift.reference)
    except stripe.InvalidRequestError as error:
        if error.code != "resource_missing":
            raise SelfServiceRefused(
                _("Stripe could not cancel this gift. Please try again in a moment."), status=502
            ) from error
        # Stripe no longer knows it: it ended there already; record that.
    except stripe.StripeError as error:
        raise SelfServiceRefused(
            _("Stripe could not be reached to cancel this gift. Please try again in a moment."),
            status=502,
        ) from error
    gift, _created = recurring_gift_record(
        RecurringEvent(
            channel=gift.channel,
            reference=gift.reference,
            status=RecurringGiftStatus.CANCELLED,
            at=timezone.now(),
        )
    )
    return gift


def billing_portal_url(*, donor: Donor, gift_id: int, return_url: str) -> str:
    """The address of a Stripe customer-portal session for the donor's monthly gift,
    where they update their card (or cancel); Stripe sends them back to `return_url`."""
    gift = _own_stripe_gift(donor, gift_id)
    if not settings.STRIPE_SECRET_KEY or not gift.customer_reference:
        raise SelfServiceRefused(
            _("The card of this gift cannot be changed here; please write to us."), status=409
        )
    try:
        session = stripe_client().v1.billing_portal.sessions.create(
            params={"customer": gift.customer_reference, "return_url": return_url}
        )
    except stripe.StripeError as error:
        raise SelfServiceRefused(
            _("Stripe's page could not be opened. Please try again in a moment."), status=502
        ) from error
    return session.url
