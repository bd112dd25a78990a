"""Payment providers tell us about gifts here. Every handler verifies the signature on
the raw body first; a bad signature or a malformed body gets 400, is logged, and
records nothing. Recording goes through `services.donation_record` (idempotent)."""

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rostra.funding import selectors, services
from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.services import DonationEvent, DonationRejected

logger = logging.getLogger(__name__)

# Stripe amounts are in the currency's smallest unit; these currencies have none.
ZERO_DECIMAL_CURRENCIES = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip


def _minor_to_decimal(amount: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount)
    return Decimal(amount) / 100


def _campaign_currency() -> str:
    campaign = selectors.active_campaign()
    return campaign.currency if campaign else "USD"


def _stripe_event_to_donation(event) -> DonationEvent | None:
    kind = event["type"]
    obj = event["data"]["object"]
    created = datetime.fromtimestamp(event["created"], tz=UTC)
    if kind == "checkout.session.completed":
        # Monthly gifts are counted from their invoices, so the first month counts once.
        if obj.get("mode") == "subscription" or obj.get("payment_status") != "paid":
            return None
        details = obj.get("customer_details") or {}
        metadata = obj.get("metadata") or {}
        return DonationEvent(
            channel=ChannelKind.CARD,
            external_reference=obj.get("payment_intent") or obj["id"],
            amount=_minor_to_decimal(obj["amount_total"], obj["currency"]),
            currency=obj["currency"],
            status=DonationStatus.CONFIRMED,
            received_at=created,
            donor_name=details.get("name") or "",
            email=details.get("email") or "",
            message=metadata.get("message", ""),
            is_anonymous=metadata.get("public_name") != "yes",
        )
    if kind == "invoice.paid":
        if not obj.get("amount_paid"):
            return None
        return DonationEvent(
            channel=ChannelKind.CARD,
            external_reference=obj.get("payment_intent") or obj["id"],
            amount=_minor_to_decimal(obj["amount_paid"], obj["currency"]),
            currency=obj["currency"],
            status=DonationStatus.CONFIRMED,
            received_at=created,
            donor_name=obj.get("customer_name") or "",
            email=obj.get("customer_email") or "",
        )
    if kind == "charge.refunded":
        if not obj.get("refunded"):
            return None  # a partial refund: the gift stands; handled by an editor
        return DonationEvent(
            channel=ChannelKind.CARD,
            external_reference=obj.get("payment_intent") or obj["id"],
            amount=_minor_to_decimal(obj["amount"], obj["currency"]),
            currency=obj["currency"],
            status=DonationStatus.REFUNDED,
            received_at=created,
        )
    return None


@csrf_exempt  # authenticated by the Stripe-Signature header instead
@require_POST
def stripe_webhook(request):
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.warning("Stripe webhook refused: ROSTRA_STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponseBadRequest("Stripe webhooks are not configured.")
    try:
        stripe.WebhookSignature.verify_header(
            request.body.decode("utf-8"),
            request.headers.get("Stripe-Signature", ""),
            secret,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        event = json.loads(request.body)
        donation_event = _stripe_event_to_donation(event)
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        stripe.SignatureVerificationError,
    ) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("Invalid signature or payload.")
    if donation_event is None:
        return HttpResponse("ignored", content_type="text/plain")
    try:
        services.donation_record(donation_event, campaign_currency=_campaign_currency())
    except DonationRejected as error:
        logger.warning("Stripe webhook %s refused: %s", event.get("id"), error)
        return HttpResponseBadRequest(f"Invalid donation: {error}")
    return HttpResponse("ok", content_type="text/plain")
