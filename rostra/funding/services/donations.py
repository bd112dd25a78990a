"""The one write path for donations: webhooks, imports and the admin all call
`donation_record`, which is idempotent on (channel, external reference); archive restores
call `donation_restore`. Every gift, whichever way it came, passes `donation_validate`."""

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from rostra.core.tasks import enqueue_on_commit
from rostra.funding.amounts import InvalidAmount, ledger_amount
from rostra.funding.models import ChannelKind, CurrencyRate, Donation, DonationStatus
from rostra.funding.services.attribution import ask_article_id, ask_position
from rostra.funding.services.donors import (
    donor_for_gift,
    donor_refresh,
    donor_restore,
    email_is_verified,
)
from rostra.funding.services.recurring import recurring_gift_for_payment, recurring_gift_restore

logger = logging.getLogger(__name__)

# A gift may move forward (pending → confirmed → refunded), never back.
_STATUS_ORDER = {DonationStatus.PENDING: 0, DonationStatus.CONFIRMED: 1, DonationStatus.REFUNDED: 2}


class DonationRejected(ValueError):
    """A gift the ledger cannot keep; `field` names the field at fault, when one is."""

    def __init__(self, reason: str, *, field: str = ""):
        super().__init__(reason)
        self.field = field


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
    # None: as the channel's rule says (services.donors.VERIFIED_EMAIL_CHANNELS).
    email_verified: bool | None = None
    reader_id: int | None = None  # the reader account the gift was given from
    # A payment of a monthly gift: the provider's id of it (Stripe subscription,
    # Patreon member, PayPal subscription) and, at Stripe, its customer.
    recurring_reference: str = ""
    customer_reference: str = ""
    # Where the reader was asked (unchecked here: see services.attribution).
    article_id: int | str | None = None
    position: str = ""
    # The rate an editor gives by hand; None: the rate in force (`rate_for`).
    rate_to_campaign: Decimal | None = None


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


def donation_validate(donation: Donation) -> Donation:
    """The one check a gift passes before the ledger keeps it, however it arrived
    (webhook, CSV import, manual entry or correction in the admin, archive restore): a
    known channel and status, a reference, an ISO currency code, the ledger's amount rule
    (`amounts.ledger_amount`) and the model's own field rules (lengths, e-mail, rate).

    Normalises `donation`'s currency and amount in place and returns it; raises
    DonationRejected saying what is wrong. Reads nothing from the database.
    """
    if donation.channel not in ChannelKind.values:
        raise DonationRejected(_("unknown channel %(channel)r") % {"channel": donation.channel})
    if not donation.external_reference:
        raise DonationRejected(_("missing external reference"))
    donation.currency = currency_code(donation.currency)
    try:
        donation.amount = ledger_amount(donation.amount, donation.currency)
    except InvalidAmount as error:
        raise DonationRejected(str(error), field="amount") from None
    if donation.status not in DonationStatus.values:
        raise DonationRejected(_("unknown status %(status)r") % {"status": donation.status})
    try:
        # Uniqueness is the database's to enforce: the callers look the gift up first.
        donation.full_clean(
            exclude=["created_at", "updated_at"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        raise DonationRejected(
            "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
        ) from None
    return donation


def currency_code(value) -> str:
    """`value` as an upper-case three-letter code, or DonationRejected."""
    currency = value.upper() if isinstance(value, str) else ""
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise DonationRejected(
            _("currency %(currency)r is not an ISO 4217 code") % {"currency": value}
        )
    return currency


def donation_record(event: DonationEvent, *, campaign_currency: str) -> tuple[Donation, bool]:
    """Record a gift or a change of its status. Returns (donation, whether anything changed).

    Replaying the same event changes nothing; a refund of a known gift marks it refunded.
    """
    new = donation_validate(
        Donation(
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
        )
    )
    new.email_verified = (
        email_is_verified(event.channel) if event.email_verified is None else event.email_verified
    )
    with transaction.atomic():
        donation = (
            Donation.objects.select_for_update()
            .filter(channel=new.channel, external_reference=new.external_reference)
            .first()
        )
        if donation is None:
            new.rate_to_campaign = (
                event.rate_to_campaign
                if event.rate_to_campaign is not None
                else rate_for(new.currency, campaign_currency, new.received_at)
            )
            _link(new, event)
            try:
                with transaction.atomic():
                    new.save(force_insert=True)
            except IntegrityError:
                # A concurrent delivery of the same event won the race.
                return Donation.objects.get(
                    channel=new.channel, external_reference=new.external_reference
                ), False
            donation, changed = new, True
        elif _STATUS_ORDER[new.status] > _STATUS_ORDER[donation.status]:
            donation.status = new.status
            donation.save(update_fields=["status", "updated_at"])
            changed = True
        else:
            changed = False
        if changed:
            donor_refresh(donation.donor, currency=campaign_currency)
    if changed and donation.status == DonationStatus.CONFIRMED and donation.email:
        from rostra.funding.tasks import send_receipt

        enqueue_on_commit(send_receipt, donation.pk)
    return donation, changed


def _link(donation: Donation, event: DonationEvent) -> None:
    """Give a new gift its donor, its monthly gift (for a payment of one) and where the
    reader was asked: unknown articles and positions become none."""
    donation.donor = donor_for_gift(
        email=donation.email,
        verified=donation.email_verified,
        name=donation.donor_name,
        user_id=event.reader_id,
        public=not donation.is_anonymous,
    )
    donation.article_id = ask_article_id(event.article_id)
    donation.position = ask_position(event.position)
    if event.recurring_reference:
        recurring = recurring_gift_for_payment(donation, event)
        donation.recurring = recurring
        if donation.article_id is None and not donation.position:
            donation.article_id, donation.position = recurring.article_id, recurring.position


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
    if changed:
        donation_validate(donation)
        with transaction.atomic():
            before = donation.donor
            if "email" in changed:  # the editor's address: theirs to vouch for
                donation.email_verified = True
                donation.donor = donor_for_gift(
                    email=donation.email, verified=True, name=donation.donor_name
                )
                changed["donor"] = [str(before), str(donation.donor)]
            fields = [name for name in changed if name != "donor"]
            extra = ["donor", "email_verified"] if "donor" in changed else []
            donation.save(update_fields=[*fields, *extra, "updated_at"])
            log(instance=donation, action="wagtail.edit", user=user, data={"changes": changed})
            donor_refresh(donation.donor)
            if before is not None and before != donation.donor:
                donor_refresh(before)
    return donation


def donation_enter(*, event: DonationEvent, campaign_currency: str, user) -> Donation:
    """A gift entered by hand in the admin (bank transfers, cash at an event …); with no
    reference (cash has none) it gets one of its own (`manual_reference`)."""
    from wagtail.log_actions import log

    if not event.external_reference:
        event = replace(event, external_reference=manual_reference(event))
    donation, created = donation_record(event, campaign_currency=campaign_currency)
    if not created:
        raise DonationRejected(
            _("a %(channel)s gift with reference %(reference)r already exists")
            % {"channel": event.channel, "reference": event.external_reference}
        )
    log(instance=donation, action="wagtail.create", user=user)
    return donation


def manual_reference(event: DonationEvent) -> str:
    """A reference for a gift that came without one, readable and unique for its channel:
    "manual-20250320-3f9a1c" (the day it was received, in TIME_ZONE)."""
    day = timezone.localtime(event.received_at).strftime("%Y%m%d")
    for _attempt in range(5):  # 16 million per day and channel: a clash is all but impossible
        reference = f"manual-{day}-{secrets.token_hex(3)}"
        clash = Donation.objects.filter(channel=event.channel, external_reference=reference)
        if not clash.exists():
            return reference
    raise DonationRejected(_("could not find a free reference; give one"))


ARCHIVED_DONATION_FIELDS = (
    "amount", "currency", "channel", "external_reference", "donor_name", "is_anonymous",
    "message", "email", "status", "received_at", "campaign_currency", "rate_to_campaign",
    "email_verified", "position",
)  # fmt: skip


def donation_restore(
    data: dict, *, article_id: int | None = None, recurring_article_id: int | None = None
) -> tuple[str, str]:
    """Re-create a gift from a Rostra archive row, exactly as it was recorded (its rate
    included), with its donor record and monthly gift when the archive has them (the
    importer resolves the articles' keys to `article_id`s). Returns the outcome for the
    import summary: (created|skipped|rejected, why)."""
    values = {name: data.get(name) for name in ARCHIVED_DONATION_FIELDS}
    if not values["channel"] or not values["external_reference"]:
        return "rejected", "no channel or reference"
    if Donation.objects.filter(
        channel=values["channel"], external_reference=values["external_reference"]
    ).exists():
        return "skipped", "already recorded"
    donation = Donation(**{k: v for k, v in values.items() if v is not None})
    try:
        donation.received_at = parse_datetime(str(values["received_at"] or ""))
    except ValueError:  # well-formed but impossible, such as month 13
        return "rejected", f"received_at: not a date: {str(values['received_at'])[:40]!r}"
    donation.email = values["email"] or ""
    verified = data.get("email_verified")
    donation.email_verified = (
        verified if isinstance(verified, bool) else email_is_verified(donation.channel)
    )
    donation.position = ask_position(data.get("position"))
    donation.article_id = ask_article_id(article_id)
    try:
        donation_validate(donation)
    except DonationRejected as error:
        return "rejected", f"{error.field}: {error}" if error.field else str(error)
    with transaction.atomic():
        donation.donor = donor_restore(data.get("donor"), donation)
        donation.recurring = recurring_gift_restore(
            data.get("recurring"), donation, article_id=recurring_article_id
        )
        donation.save()
        donor_refresh(donation.donor, currency=donation.campaign_currency)
    return "created", ""
