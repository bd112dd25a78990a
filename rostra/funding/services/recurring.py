"""Monthly gifts: the subscription or membership behind each monthly payment, and the
changes providers report about it (cancelled, a payment failed, back in good standing).

`recurring_gift_record` is the one write path for such changes, whether a webhook
reports them or the donor cancels on their manage page; it is idempotent: the same
report twice changes nothing, and the donor is told of a failed payment once per
unpaid invoice, after the commit."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rostra.core.tasks import enqueue_on_commit
from rostra.funding.models import Donation, RecurringGift, RecurringGiftStatus
from rostra.funding.services.attribution import ask_article_id, ask_position
from rostra.funding.services.donors import donor_for_gift, donor_refresh, email_is_verified


@dataclass(frozen=True)
class RecurringEvent:
    """What a provider reports about a monthly gift (not a payment: those are
    DonationEvents with a `recurring_reference`)."""

    channel: str
    reference: str
    status: str  # RecurringGiftStatus
    at: datetime
    customer_reference: str = ""
    email: str = ""
    donor_name: str = ""
    email_verified: bool | None = None
    reader_id: int | None = None
    is_public: bool = False
    amount: Decimal | None = None
    currency: str = ""
    failed_invoice: str = ""  # for PAST_DUE: the invoice that could not be paid
    article_id: int | str | None = None
    position: str = ""


def _get_or_create(channel: str, reference: str, defaults: dict) -> tuple[RecurringGift, bool]:
    gift = RecurringGift.objects.select_for_update().filter(channel=channel, reference=reference)
    found = gift.first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return RecurringGift.objects.create(
                channel=channel, reference=reference, **defaults
            ), True
    except IntegrityError:  # a concurrent delivery about the same gift won
        return gift.get(), False


def recurring_gift_for_payment(donation: Donation, event) -> RecurringGift:
    """The monthly gift a payment belongs to, created at its first payment. Called by
    `donation_record` in its transaction."""
    gift, created = _get_or_create(
        donation.channel,
        event.recurring_reference,
        {
            "customer_reference": event.customer_reference,
            "donor": donation.donor,
            "amount": donation.amount,
            "currency": donation.currency,
            "started_at": donation.received_at,
            "article_id": donation.article_id,
            "position": donation.position,
        },
    )
    updates = {}
    if not created:
        if donation.donor_id and gift.donor_id != donation.donor_id:
            updates["donor"] = donation.donor
        if event.customer_reference and not gift.customer_reference:
            updates["customer_reference"] = event.customer_reference
        if gift.amount != donation.amount or gift.currency != donation.currency:
            updates |= {"amount": donation.amount, "currency": donation.currency}
        if gift.status == RecurringGiftStatus.PAST_DUE:  # paid again: in good standing
            updates |= {"status": RecurringGiftStatus.ACTIVE, "failed_invoice": ""}
    _save(gift, updates)
    return gift


def _save(gift: RecurringGift, updates: dict) -> None:
    """Save `updates` to `gift`; a donor it leaves (merged records, a reader who gave
    from a new address) has its figures recounted."""
    left = gift.donor if "donor" in updates else None
    for field, value in updates.items():
        setattr(gift, field, value)
    if updates:
        gift.save(update_fields=[*updates, "updated_at"])
        donor_refresh(left)


def recurring_gift_record(event: RecurringEvent) -> tuple[RecurringGift, bool]:
    """Record what a provider says about a monthly gift. Returns (gift, whether anything
    changed). A cancelled gift stays cancelled; a new unpaid invoice sends the donor one
    polite e-mail with a link to manage their support."""
    _validate(event)
    status = event.status
    with transaction.atomic():
        verified = (
            email_is_verified(event.channel)
            if event.email_verified is None
            else event.email_verified
        )
        donor = donor_for_gift(
            email=event.email,
            verified=verified,
            name=event.donor_name,
            user_id=event.reader_id,
            public=event.is_public,
        )
        gift, created = _get_or_create(
            event.channel,
            event.reference,
            {
                "customer_reference": event.customer_reference,
                "donor": donor,
                "amount": event.amount,
                "currency": event.currency.upper(),
                "status": status,
                "started_at": event.at,
                "cancelled_at": event.at if status == RecurringGiftStatus.CANCELLED else None,
                "failed_invoice": event.failed_invoice,
                "article_id": ask_article_id(event.article_id),
                "position": ask_position(event.position),
            },
        )
        told_of_failure = created and status == RecurringGiftStatus.PAST_DUE
        changed = created
        if not created:
            updates = _changes(gift, event, donor)
            told_of_failure = "failed_invoice" in updates and bool(event.failed_invoice)
            _save(gift, updates)
            changed = bool(updates)
            if "article_id" in updates or "position" in updates:
                gift.donations.filter(article__isnull=True, position="").update(
                    article_id=gift.article_id, position=gift.position
                )
        if changed:
            donor_refresh(gift.donor)
    if told_of_failure and gift.donor_id:
        from rostra.funding.tasks import send_payment_failed

        enqueue_on_commit(send_payment_failed, gift.pk, gift.failed_invoice)
    return gift, changed


class RecurringRejected(ValueError):
    """A report about a monthly gift that cannot be kept; the message says why."""


def _validate(event: RecurringEvent) -> None:
    if event.status not in RecurringGiftStatus.values:
        raise RecurringRejected(
            _("unknown monthly gift status %(status)r") % {"status": event.status}
        )
    for name in ("reference", "customer_reference", "failed_invoice"):
        value = getattr(event, name)
        if not isinstance(value, str) or len(value) > 200:
            raise RecurringRejected(
                _("%(field)s: not a reference of at most 200 characters") % {"field": name}
            )
    if not event.reference:
        raise RecurringRejected(_("missing reference"))
    if event.email:
        try:
            validate_email(event.email)
        except ValidationError:
            raise RecurringRejected(
                _("email: %(address)r is not an address") % {"address": event.email[:60]}
            ) from None
    if event.amount is not None and not (0 < event.amount < 10**12):
        raise RecurringRejected(_("amount: not a positive amount below one trillion"))


def _changes(gift: RecurringGift, event: RecurringEvent, donor) -> dict:
    """The fields `event` changes on `gift`."""
    updates = {}
    if gift.status != RecurringGiftStatus.CANCELLED and event.status != gift.status:
        updates["status"] = event.status
        if event.status == RecurringGiftStatus.CANCELLED:
            updates["cancelled_at"] = event.at
    if (
        event.status == RecurringGiftStatus.PAST_DUE
        and gift.status != RecurringGiftStatus.CANCELLED
        and event.failed_invoice
        and event.failed_invoice != gift.failed_invoice
    ):
        updates["failed_invoice"] = event.failed_invoice
    if event.status == RecurringGiftStatus.ACTIVE and gift.failed_invoice:
        updates["failed_invoice"] = ""
    if donor is not None and gift.donor_id != donor.pk:
        updates["donor"] = donor
    if event.customer_reference and not gift.customer_reference:
        updates["customer_reference"] = event.customer_reference
    if event.amount is not None and (event.amount, event.currency.upper()) != (
        gift.amount,
        gift.currency,
    ):
        updates |= {"amount": event.amount, "currency": event.currency.upper()}
    article_id, position = ask_article_id(event.article_id), ask_position(event.position)
    if (article_id or position) and not (gift.article_id or gift.position):
        updates |= {"article_id": article_id, "position": position}
    return updates


def recurring_gift_restore(info, donation: Donation, *, article_id=None) -> RecurringGift | None:
    """The monthly gift of a payment re-created from a Rostra archive (as it was, the
    first time it is met; later payments of it join it)."""
    if not isinstance(info, dict):
        return None
    from django.utils.dateparse import parse_datetime

    def moment(name):
        value = info.get(name)
        try:
            return parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            return None

    event = RecurringEvent(
        channel=str(info.get("channel") or donation.channel),
        reference=str(info.get("reference") or ""),
        status=str(info.get("status") or ""),
        at=moment("started_at") or donation.received_at,
        customer_reference=str(info.get("customer_reference") or ""),
        failed_invoice=str(info.get("failed_invoice") or ""),
    )
    try:
        _validate(event)
    except RecurringRejected:
        return None
    gift, _ = _get_or_create(
        event.channel,
        event.reference,
        {
            "customer_reference": event.customer_reference,
            "donor": donation.donor,
            "amount": donation.amount,
            "currency": donation.currency,
            "status": event.status,
            "started_at": event.at,
            "cancelled_at": moment("cancelled_at"),
            "failed_invoice": event.failed_invoice,
            "article_id": ask_article_id(article_id),
            "position": ask_position(info.get("position")),
        },
    )
    return gift
