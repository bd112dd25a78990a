"""Webhook deliveries: what one delivery from a payment provider reports is recorded
once, together with the note that the delivery was handled."""

from collections.abc import Sequence

from django.db import transaction

from rostra.funding.models import WebhookDelivery
from rostra.funding.services.donations import DonationEvent, donation_record
from rostra.funding.services.recurring import RecurringEvent, recurring_gift_record


def webhook_delivery_record(
    *,
    provider: str,
    delivery_id: str,
    events: Sequence[DonationEvent | RecurringEvent],
    campaign_currency: str,
) -> bool:
    """Record the gifts, refunds and changes to monthly gifts one delivery reports
    (through `donation_record` and `recurring_gift_record`), in one transaction with the
    `WebhookDelivery` that marks it handled (when the provider numbers its deliveries:
    `delivery_id` is "" otherwise, and the gifts' own references keep replays harmless).

    Returns False, doing nothing, for a delivery handled before. A gift the ledger cannot
    keep raises DonationRejected and leaves nothing behind, the delivery mark included,
    so a corrected resend is handled.
    """
    with transaction.atomic():
        if delivery_id:
            _, first_time = WebhookDelivery.objects.get_or_create(
                provider=provider, delivery_id=delivery_id
            )
            if not first_time:
                return False
        for event in events:
            if isinstance(event, RecurringEvent):
                recurring_gift_record(event)
            else:
                donation_record(event, campaign_currency=campaign_currency)
    return True
