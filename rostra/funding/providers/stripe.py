"""Stripe: card gifts through Checkout (`checkout.session.completed`), monthly gifts
(`invoice.paid`) and refunds (`charge.refunded`); what happens to a monthly gift (its
checkout, `customer.subscription.updated` and `.deleted`, `invoice.payment_failed`).
Signed in the Stripe-Signature header and checked with the `stripe` package."""

import json
from datetime import UTC, datetime

import stripe
from django.conf import settings

from rostra.funding.amounts import minor_to_decimal
from rostra.funding.models import ChannelKind, DonationStatus, RecurringGiftStatus
from rostra.funding.providers.base import PaymentProvider, WebhookRejected
from rostra.funding.services.donations import DonationEvent
from rostra.funding.services.recurring import RecurringEvent


class Stripe(PaymentProvider):
    name = "stripe"
    label = "Stripe webhook"
    refusal = "Invalid payload"
    record_refusal = "Invalid donation"

    def verify(self, request) -> None:
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise WebhookRejected(
                "Stripe webhooks are not configured.",
                reason="ROSTRA_STRIPE_WEBHOOK_SECRET is not set",
            )
        try:
            stripe.WebhookSignature.verify_header(
                request.body.decode("utf-8"),
                request.headers.get("Stripe-Signature", ""),
                secret,
                tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise WebhookRejected("Invalid signature.", reason=str(error)) from error

    def events(self, request) -> list[DonationEvent | RecurringEvent]:
        event = json.loads(request.body)
        gift = stripe_event_to_donation(event) or stripe_event_to_recurring(event)
        return [gift] if gift else []


def stripe_event_to_donation(event: dict) -> DonationEvent | None:
    """The gift or refund a Stripe event reports; None for other events."""
    kind = event["type"]
    obj = event["data"]["object"]

    def card_gift(amount_field: str, status: str, **donor) -> DonationEvent:
        # The payment intent is what a later refund refers to.
        return DonationEvent(
            channel=ChannelKind.CARD,
            external_reference=obj.get("payment_intent") or obj["id"],
            amount=minor_to_decimal(obj[amount_field], obj["currency"]),
            currency=obj["currency"],
            status=status,
            received_at=datetime.fromtimestamp(event["created"], tz=UTC),
            **donor,
        )

    if kind == "checkout.session.completed":
        # Monthly gifts are counted from their invoices, so the first month counts once.
        if obj.get("mode") == "subscription" or obj.get("payment_status") != "paid":
            return None
        details = obj.get("customer_details") or {}
        metadata = obj.get("metadata") or {}
        return card_gift(
            "amount_total",
            DonationStatus.CONFIRMED,
            donor_name=details.get("name") or "",
            email=details.get("email") or "",
            message=metadata.get("message", ""),
            is_anonymous=metadata.get("public_name") != "yes",
            **attribution(metadata),
        )
    if kind == "invoice.paid" and obj.get("amount_paid"):
        metadata = subscription_metadata(obj)
        return card_gift(
            "amount_paid",
            DonationStatus.CONFIRMED,
            donor_name=obj.get("customer_name") or "",
            email=obj.get("customer_email") or "",
            recurring_reference=invoice_subscription(obj),
            customer_reference=str(obj.get("customer") or ""),
            **attribution(metadata),
        )
    # A partial refund leaves the gift standing; an editor corrects it by hand.
    if kind == "charge.refunded" and obj.get("refunded"):
        return card_gift("amount", DonationStatus.REFUNDED)
    return None


def invoice_subscription(invoice: dict) -> str:
    """The subscription an invoice bills: `subscription` in Stripe's API before
    2025-03-31, `parent.subscription_details.subscription` since."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return str(invoice.get("subscription") or details.get("subscription") or "")


def subscription_metadata(invoice: dict) -> dict:
    """The metadata Rostra gave the subscription at checkout, as an invoice carries it."""
    details = invoice.get("subscription_details") or (invoice.get("parent") or {}).get(
        "subscription_details"
    )
    metadata = (details or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def attribution(metadata: dict) -> dict:
    """Where the reader was asked and who they were, as Rostra's checkout wrote it into
    the metadata (checked when recorded: unknown values count as none)."""
    if not isinstance(metadata, dict):
        raise TypeError("the metadata is not an object")
    reader = str(metadata.get("reader") or "")
    return {
        "article_id": metadata.get("article"),
        "position": str(metadata.get("position") or ""),
        "reader_id": int(reader) if reader.isascii() and reader.isdigit() else None,
    }


# Stripe's subscription statuses, as a monthly gift's; others (incomplete, paused) are
# left alone until Stripe settles them.
SUBSCRIPTION_STATUSES = {
    "active": RecurringGiftStatus.ACTIVE,
    "trialing": RecurringGiftStatus.ACTIVE,
    "past_due": RecurringGiftStatus.PAST_DUE,
    "unpaid": RecurringGiftStatus.PAST_DUE,
    "canceled": RecurringGiftStatus.CANCELLED,
    "incomplete_expired": RecurringGiftStatus.CANCELLED,
}


def stripe_event_to_recurring(event: dict) -> RecurringEvent | None:
    """What a Stripe event says about a monthly gift; None for other events."""
    kind = event["type"]
    obj = event["data"]["object"]
    at = datetime.fromtimestamp(event["created"], tz=UTC)
    if kind == "checkout.session.completed" and obj.get("mode") == "subscription":
        details = obj.get("customer_details") or {}
        metadata = obj.get("metadata") or {}
        return RecurringEvent(
            channel=ChannelKind.CARD,
            reference=str(obj["subscription"]),
            status=RecurringGiftStatus.ACTIVE,
            at=at,
            customer_reference=str(obj.get("customer") or ""),
            email=details.get("email") or "",
            donor_name=details.get("name") or "",
            is_public=metadata.get("public_name") == "yes",
            **attribution(metadata),
        )
    if kind in ("customer.subscription.updated", "customer.subscription.deleted"):
        status = (
            RecurringGiftStatus.CANCELLED
            if kind == "customer.subscription.deleted"
            else SUBSCRIPTION_STATUSES.get(obj["status"])
        )
        if status is None:
            return None
        unpaid = obj.get("latest_invoice") if status == RecurringGiftStatus.PAST_DUE else ""
        return RecurringEvent(
            channel=ChannelKind.CARD,
            reference=str(obj["id"]),
            status=status,
            at=at,
            customer_reference=str(obj.get("customer") or ""),
            failed_invoice=str(unpaid or ""),
        )
    if kind == "invoice.payment_failed" and invoice_subscription(obj):
        return RecurringEvent(
            channel=ChannelKind.CARD,
            reference=invoice_subscription(obj),
            status=RecurringGiftStatus.PAST_DUE,
            at=at,
            customer_reference=str(obj.get("customer") or ""),
            email=obj.get("customer_email") or "",
            donor_name=obj.get("customer_name") or "",
            failed_invoice=str(obj["id"]),
        )
    return None
