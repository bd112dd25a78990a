"""Funding's writes, one module per job: `donations` (the ledger's one write path and its
one validation), `deliveries` (payment-provider webhook deliveries, recorded once) and
`checkout` (starting a card gift with Stripe). Callers import from here."""

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

__all__ = [
    "ARCHIVED_DONATION_FIELDS",
    "CORRECTABLE_FIELDS",
    "CheckoutRefused",
    "CheckoutRequest",
    "DonationEvent",
    "DonationRejected",
    "checkout_start",
    "currency_code",
    "donation_correct",
    "donation_enter",
    "donation_record",
    "donation_restore",
    "donation_validate",
    "rate_for",
    "webhook_delivery_record",
]
