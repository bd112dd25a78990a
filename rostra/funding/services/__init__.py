"""Funding's writes, one module per job: `donations` (the ledger's one write path and its
one validation), `deliveries` (payment-provider webhook deliveries, recorded once) and
`checkout` (starting a card gift with Stripe), `donors` (donor records: matching,
merging, erasing), `recurring` (monthly gifts and what providers say about them) and
`attribution` (where a gift came from). Callers import from here."""

from rostra.funding.services.attribution import ask_article_id, ask_position
from rostra.funding.services.checkout import CheckoutRefused, CheckoutRequest, checkout_start
from rostra.funding.services.deliveries import webhook_delivery_record
from rostra.funding.services.donations import (
    ARCHIVED_DONATION_FIELDS,
    CORRECTABLE_FIELDS,
    DonationEvent,
    DonationRejected,
    currency_code,
    donation_correct,
    donation_enter,
    donation_record,
    donation_restore,
    donation_validate,
    rate_for,
)
from rostra.funding.services.donors import (
    DonorRefused,
    donor_erase,
    donor_merge,
    donor_set_show_name,
    donor_update,
    email_key,
)
from rostra.funding.services.recurring import (
    RecurringEvent,
    RecurringRejected,
    recurring_gift_record,
)

__all__ = [
    "ARCHIVED_DONATION_FIELDS",
    "CORRECTABLE_FIELDS",
    "CheckoutRefused",
    "CheckoutRequest",
    "DonationEvent",
    "DonationRejected",
    "DonorRefused",
    "RecurringEvent",
    "RecurringRejected",
    "ask_article_id",
    "ask_position",
    "checkout_start",
    "currency_code",
    "donation_correct",
    "donation_enter",
    "donation_record",
    "donation_restore",
    "donation_validate",
    "donor_erase",
    "donor_merge",
    "donor_set_show_name",
    "donor_update",
    "email_key",
    "rate_for",
    "recurring_gift_record",
    "webhook_delivery_record",
]
