"""The one write path for donations: webhooks, imports and the admin all call
`donation_record`, which is idempotent on (channel, external reference)."""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from rostra.core.tasks import enqueue_on_commit
from rostra.funding.amounts import InvalidAmount, ledger_amount
from rostra.funding.models import ChannelKind, CurrencyRate, Donation, DonationStatus

logger = logging.getLogger(__name__)

# A gift may move forward (pending → confirmed → refunded), never back.
_STATUS_ORDER = {DonationStatus.PENDING: 0, DonationStatus.CONFIRMED: 1, DonationStatus.REFUNDED: 2}


class DonationRejected(ValueError):
    pass


@dataclass(frozen=True)
class DonationEvent:
    channel: str
    external_reference: str
    amount: Decimal
    currency: str
    status: str
    received_at: datetime
    donor_name: str = ""
    email: str = ""
    message: str = ""
    is_anonymous: bool = True


def rate_for(currency: str, campaign_currency: str, at: datetime) -> Decimal | None:
    if currency == campaign_currency:
        return Decimal(1)
    rate = (
        CurrencyRate.objects.filter(
            currency=currency, campaign_currency=campaign_currency, valid_from__lte=at
        )
        .values_list("rate", flat=True)
        .first()
    )
    return rate


def _check(event: DonationEvent) -> DonationEvent:
    if event.channel not in ChannelKind.values:
        raise DonationRejected(f"unknown channel {event.channel!r}")
    if not event.external_reference:
        raise DonationRejected("missing external reference")
    currency = currency_code(event.currency)
    amount = _amount_or_rejected(event.amount, currency)
    if event.status not in DonationStatus.values:
        raise DonationRejected(f"unknown status {event.status!r}")
    return DonationEvent(**{**event.__dict__, "amount": amount, "currency": currency})


def currency_code(value) -> str:
    """`value` as an upper-case three-letter code, or DonationRejected."""
    currency = value.upper() if isinstance(value, str) else ""
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise DonationRejected(f"currency {value!r} is not an ISO 4217 code")
    return currency


def _amount_or_rejected(value, currency: str) -> Decimal:
    try:
        return ledger_amount(value, currency)
    except InvalidAmount as error:
        raise DonationRejected(str(error)) from None


def donation_record(event: DonationEvent, *, campaign_currency: str) -> tuple[Donation, bool]:
    """Record a gift or a change of its status. Returns (donation, whether anything changed).

    Replaying the same event changes nothing; a refund of a known gift marks it refunded.
    """
    event = _check(event)
    with transaction.atomic():
        donation = (
            Donation.objects.select_for_update()
            .filter(channel=event.channel, external_reference=event.external_reference)
            .first()
        )
        if donation is None:
            try:
                with transaction.atomic():
                    donation = Donation.objects.create(
                        channel=event.channel,
                        external_reference=event.external_reference,
                        amount=event.amount,
                        currency=event.currency,
                        status=event.status,
                        received_at=event.received_at,
                        donor_name=event.donor_name[:120],
                        email=event.email,
                        message=event.message[:1000],
                        is_anonymous=event.is_anonymous,
                        campaign_currency=campaign_currency,
                        rate_to_campaign=rate_for(
                            event.currency, campaign_currency, event.received_at
                        ),
                    )
            except IntegrityError:
                # A concurrent delivery of the same event won the race.
                return Donation.objects.get(
                    channel=event.channel, external_reference=event.external_reference
                ), False
            changed = True
        elif _STATUS_ORDER[event.status] > _STATUS_ORDER[donation.status]:
            donation.status = event.status
            donation.save(update_fields=["status", "updated_at"])
            changed = True
        else:
            changed = False
    if changed and donation.status == DonationStatus.CONFIRMED and donation.email:
        from rostra.funding.tasks import send_receipt

        enqueue_on_commit(send_receipt, donation.pk)
    return donation, changed


CORRECTABLE_FIELDS = (
    "amount", "currency", "status", "received_at", "donor_name", "is_anonymous",
    "message", "email", "rate_to_campaign",
)  # fmt: skip


def donation_correct(*, donation: Donation, changes: dict, user) -> Donation:
    """An editor's correction, recorded in Wagtail's history with who changed what."""
    from wagtail.log_actions import log

    changed = {}
    for field in CORRECTABLE_FIELDS:
        if field in changes and changes[field] != getattr(donation, field):
            changed[field] = [str(getattr(donation, field)), str(changes[field])]
            setattr(donation, field, changes[field])
    if "amount" in changed or "currency" in changed:
        donation.amount = _amount_or_rejected(donation.amount, donation.currency)
    if changed:
        with transaction.atomic():
            donation.save(update_fields=[*changed, "updated_at"])
            log(instance=donation, action="wagtail.edit", user=user, data={"changes": changed})
    return donation


def donation_enter(*, event: DonationEvent, campaign_currency: str, user) -> Donation:
    """A gift entered by hand in the admin (bank transfers, cash at an event …)."""
    from wagtail.log_actions import log

    donation, created = donation_record(event, campaign_currency=campaign_currency)
    if not created:
        raise DonationRejected(
            f"a {event.channel} gift with reference {event.external_reference!r} already exists"
        )
    log(instance=donation, action="wagtail.create", user=user)
    return donation


ARCHIVED_DONATION_FIELDS = (
    "amount", "currency", "channel", "external_reference", "donor_name", "is_anonymous",
    "message", "email", "status", "received_at", "campaign_currency", "rate_to_campaign",
)  # fmt: skip


def donation_restore(data: dict) -> tuple[str, str]:
    """Re-create a gift from a Rostra archive row, exactly as it was recorded (its rate
    included). Returns the outcome for the import summary: (created|skipped|rejected, why)."""
    from django.core.exceptions import ValidationError
    from django.utils.dateparse import parse_datetime

    values = {name: data.get(name) for name in ARCHIVED_DONATION_FIELDS}
    if not values["channel"] or not values["external_reference"]:
        return "rejected", "no channel or reference"
    if Donation.objects.filter(
        channel=values["channel"], external_reference=values["external_reference"]
    ).exists():
        return "skipped", "already recorded"
    try:
        values["amount"] = ledger_amount(values["amount"], str(values["currency"] or ""))
    except InvalidAmount as error:
        return "rejected", f"amount: {error}"
    donation = Donation(**{k: v for k, v in values.items() if v is not None})
    donation.received_at = parse_datetime(str(values["received_at"] or ""))
    donation.email = values["email"] or ""
    try:
        donation.full_clean(exclude=["created_at", "updated_at"])
    except ValidationError as error:
        return "rejected", "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    donation.save()
    return "created", ""
