"""Payment providers tell us about gifts here. Every handler verifies the signature on
the raw body first; a bad signature, a malformed body or an amount the ledger cannot
hold gets 400 with the reason (a permanent error: sending it again will not help), is
logged, and records nothing. Recording goes through `services.donation_record`
(idempotent), which applies the one amount rule (`amounts.ledger_amount`)."""

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import quote
from urllib.request import Request, urlopen

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rostra.funding import selectors, services
from rostra.funding.models import ChannelKind, DonationStatus, WebhookDelivery
from rostra.funding.services import DonationEvent, DonationRejected

logger = logging.getLogger(__name__)

# A verified event that cannot be read as a gift (missing or mistyped fields, an amount
# the ledger cannot hold): 400 with the reason, and nothing recorded.
UNUSABLE_EVENT = (
    DonationRejected, KeyError, IndexError, TypeError, ValueError, AttributeError,
    ArithmeticError,
)  # fmt: skip

# Stripe amounts are in the currency's smallest unit; these currencies have none.
ZERO_DECIMAL_CURRENCIES = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip


def _minor_to_decimal(amount: int, currency: str) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount {amount!r} is not a whole number of the currency's minor unit")
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount)
    return Decimal(amount) / 100


def _campaign_currency() -> str:
    return selectors.ledger_currency()


def _same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with characters outside ASCII (which
    `hmac.compare_digest` refuses on str) and lone surrogates from JSON."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _stripe_event_to_donation(event) -> DonationEvent | None:
    kind = event["type"]
    obj = event["data"]["object"]

    def card_gift(amount_field: str, status: str, **donor) -> DonationEvent:
        # The payment intent is what a later refund refers to.
        return DonationEvent(
            channel=ChannelKind.CARD,
            external_reference=obj.get("payment_intent") or obj["id"],
            amount=_minor_to_decimal(obj[amount_field], obj["currency"]),
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
        )
    if kind == "invoice.paid" and obj.get("amount_paid"):
        return card_gift(
            "amount_paid",
            DonationStatus.CONFIRMED,
            donor_name=obj.get("customer_name") or "",
            email=obj.get("customer_email") or "",
        )
    # A partial refund leaves the gift standing; an editor corrects it by hand.
    if kind == "charge.refunded" and obj.get("refunded"):
        return card_gift("amount", DonationStatus.REFUNDED)
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
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("Invalid signature.")
    try:
        event = json.loads(request.body)
        donation_event = _stripe_event_to_donation(event)
    except UNUSABLE_EVENT as error:
        logger.warning("Stripe webhook refused: malformed event (%s)", error)
        return HttpResponseBadRequest(f"Invalid payload: {error}")
    if donation_event is None:
        return HttpResponse("ignored", content_type="text/plain")
    try:
        services.donation_record(donation_event, campaign_currency=_campaign_currency())
    except DonationRejected as error:
        logger.warning("Stripe webhook %s refused: %s", event.get("id"), error)
        return HttpResponseBadRequest(f"Invalid donation: {error}")
    return HttpResponse("ok", content_type="text/plain")


# BTCPay Server -------------------------------------------------------------------------

BTCPAY_IGNORED = {"InvoiceInvalid", "InvoiceExpired", "InvoiceCreated", "InvoiceProcessing"}


class ProviderUnavailable(Exception):
    pass


def _btcpay_invoice(store_id: str, invoice_id: str) -> dict:
    """The invoice from the Greenfield API (the webhook itself carries no amount)."""
    if not (settings.BTCPAY_URL and settings.BTCPAY_API_KEY):
        raise ProviderUnavailable("ROSTRA_BTCPAY_URL and ROSTRA_BTCPAY_API_KEY are not set")
    url = (
        f"{settings.BTCPAY_URL}/api/v1/stores/{quote(store_id, safe='')}"
        f"/invoices/{quote(invoice_id, safe='')}"
    )
    # The scheme is checked to be http(s) when settings load.
    request = Request(url, headers={"Authorization": f"token {settings.BTCPAY_API_KEY}"})  # noqa: S310
    try:
        with urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())
    except (OSError, ValueError) as error:
        raise ProviderUnavailable(f"could not read invoice {invoice_id}: {error}") from error


def _valid_btcpay_signature(body: bytes, header: str) -> bool:
    secret = settings.BTCPAY_WEBHOOK_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return _same_secret(header.removeprefix("sha256="), expected)


@csrf_exempt  # authenticated by the BTCPay-Sig header instead
@require_POST
def btcpay_webhook(request):
    if not _valid_btcpay_signature(request.body, request.headers.get("BTCPay-Sig", "")):
        logger.warning("BTCPay webhook refused: bad or missing BTCPay-Sig")
        return HttpResponseBadRequest("Invalid signature.")
    try:
        payload = json.loads(request.body)
        kind, delivery_id = payload["type"], str(payload["deliveryId"])
        invoice_id, store_id = str(payload["invoiceId"]), str(payload["storeId"])
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("BTCPay webhook refused: malformed body (%s)", error)
        return HttpResponseBadRequest("Malformed payload.")
    if kind != "InvoiceSettled":
        return HttpResponse("ignored", content_type="text/plain")
    if WebhookDelivery.objects.filter(provider="btcpay", delivery_id=delivery_id).exists():
        return HttpResponse("already handled", content_type="text/plain")
    try:
        invoice = _btcpay_invoice(store_id, invoice_id)
        metadata = invoice.get("metadata") or {}
        event = DonationEvent(
            channel=ChannelKind.BTCPAY,
            external_reference=invoice_id,
            amount=invoice["amount"],
            currency=invoice["currency"],
            status=DonationStatus.CONFIRMED,
            received_at=datetime.fromtimestamp(int(payload["timestamp"]), tz=UTC),
            donor_name=str(metadata.get("buyerName") or ""),
            email=str(metadata.get("buyerEmail") or ""),
        )
        with transaction.atomic():
            services.donation_record(event, campaign_currency=_campaign_currency())
            WebhookDelivery.objects.get_or_create(provider="btcpay", delivery_id=delivery_id)
    except ProviderUnavailable as error:
        logger.error("BTCPay webhook not processed: %s", error)
        return HttpResponse("BTCPay unavailable, retry later", status=503)
    except UNUSABLE_EVENT as error:
        logger.warning("BTCPay invoice %s refused: %s", invoice_id, error)
        return HttpResponseBadRequest(f"Invalid invoice: {error}")
    return HttpResponse("ok", content_type="text/plain")


# Ko-fi ---------------------------------------------------------------------------------

KOFI_COUNTED_TYPES = {"Donation", "Subscription"}


def _parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return moment


@csrf_exempt  # authenticated by the verification token in the body
@require_POST
def kofi_webhook(request):
    token = settings.KOFI_VERIFICATION_TOKEN
    try:
        data = json.loads(request.POST["data"])
        given = str(data["verification_token"])
    except (KeyError, ValueError, TypeError) as error:
        logger.warning("Ko-fi webhook refused: malformed body (%s)", error)
        return HttpResponseBadRequest("Malformed payload.")
    if not token or not _same_secret(given, token):
        logger.warning("Ko-fi webhook refused: wrong verification token")
        return HttpResponseBadRequest("Invalid verification token.")
    if data.get("type") not in KOFI_COUNTED_TYPES:
        return HttpResponse("ignored", content_type="text/plain")
    try:
        public = bool(data.get("is_public"))
        event = DonationEvent(
            channel=ChannelKind.KOFI,
            external_reference=str(data["kofi_transaction_id"]),
            amount=data["amount"],
            currency=data["currency"],
            status=DonationStatus.CONFIRMED,
            received_at=_parse_iso(data["timestamp"]),
            donor_name=str(data.get("from_name") or ""),
            email=str(data.get("email") or ""),
            message=str(data.get("message") or "") if public else "",
            is_anonymous=not public,
        )
        services.donation_record(event, campaign_currency=_campaign_currency())
    except UNUSABLE_EVENT as error:
        logger.warning("Ko-fi webhook refused: %s", error)
        return HttpResponseBadRequest(f"Invalid donation: {error}")
    return HttpResponse("ok", content_type="text/plain")


# Patreon -------------------------------------------------------------------------------

PATREON_PLEDGE_EVENTS = {"members:pledge:create", "members:pledge:update", "members:create"}


@csrf_exempt  # authenticated by the X-Patreon-Signature header instead
@require_POST
def patreon_webhook(request):
    secret = settings.PATREON_WEBHOOK_SECRET
    signature = request.headers.get("X-Patreon-Signature", "")
    # Patreon signs with HMAC-MD5; it is their protocol, not our choice.
    expected = hmac.new(secret.encode(), request.body, hashlib.md5).hexdigest() if secret else ""
    if not secret or not _same_secret(signature, expected):
        logger.warning("Patreon webhook refused: bad or missing X-Patreon-Signature")
        return HttpResponseBadRequest("Invalid signature.")
    kind = request.headers.get("X-Patreon-Event", "")
    try:
        payload = json.loads(request.body)
        member = payload["data"]
        attributes = member["attributes"]
        if not isinstance(attributes, dict):
            raise TypeError("the member's attributes are not an object")
    except (KeyError, ValueError, TypeError) as error:
        logger.warning("Patreon webhook refused: malformed body (%s)", error)
        return HttpResponseBadRequest("Malformed payload.")
    if kind not in PATREON_PLEDGE_EVENTS or attributes.get("last_charge_status") != "Paid":
        return HttpResponse("ignored", content_type="text/plain")
    try:
        campaigns = [i for i in payload.get("included", []) if i.get("type") == "campaign"]
        currency = (campaigns[0]["attributes"].get("currency") if campaigns else None) or (
            _campaign_currency()
        )
        charge_date = attributes["last_charge_date"]
        event = DonationEvent(
            channel=ChannelKind.PATREON,
            # One gift per member and charge: a pledge update re-sends the same charge.
            external_reference=f"{member['id']}:{charge_date}",
            amount=_minor_to_decimal(attributes["currently_entitled_amount_cents"], currency),
            currency=currency,
            status=DonationStatus.CONFIRMED,
            received_at=_parse_iso(charge_date),
            donor_name=str(attributes.get("full_name") or ""),
            email=str(attributes.get("email") or ""),
        )
        services.donation_record(event, campaign_currency=_campaign_currency())
    except UNUSABLE_EVENT as error:
        logger.warning("Patreon webhook refused: %s", error)
        return HttpResponseBadRequest(f"Invalid pledge: {error}")
    return HttpResponse("ok", content_type="text/plain")


# PayPal IPN ----------------------------------------------------------------------------

# Zone abbreviations PayPal writes in IPN dates and CSV exports, as UTC offsets in hours.
PAYPAL_TIME_ZONES = {"PST": -8, "PDT": -7, "GMT": 0, "UTC": 0, "CET": 1, "CEST": 2}
# PayPal sends an IPN for everything on the account: money sent, disputes, subscription
# sign-ups …  These `txn_type`s are money received (PayPal's IPN variables reference).
PAYPAL_IPN_GIFT_TYPES = {
    "web_accept",  # Donate and Buy Now buttons
    "send_money",  # sent to the account's address from PayPal's site or app
    "cart",  # PayPal Shopping Cart or Express Checkout, several items
    "express_checkout",  # Express Checkout, one item
    "subscr_payment",  # a payment of a Subscribe-button subscription
    "recurring_payment",  # a payment of a recurring-payments profile
}
PAYPAL_REFUND_STATUSES = {"Refunded", "Reversed"}


class NotAGift(Exception):
    """A genuine message about something other than a gift to this outlet: acknowledged,
    so that PayPal does not send it again, logged, and booked as nothing. Routine ones
    (sign-ups, pending payments, money the account sent) are logged at INFO only."""

    def __init__(self, reason: str, *, level: int = logging.WARNING):
        super().__init__(reason)
        self.level = level


def _paypal_date(value: str) -> datetime:
    """PayPal writes “10:02:03 Mar 14, 2025 PDT”."""
    text, _, zone = value.rpartition(" ")
    if zone not in PAYPAL_TIME_ZONES:
        raise ValueError(f"unknown time zone in payment_date {value!r}")
    local = datetime.strptime(text, "%H:%M:%S %b %d, %Y")
    return local.replace(tzinfo=timezone(timedelta(hours=PAYPAL_TIME_ZONES[zone])))


def _paypal_verified(raw_body: bytes) -> bool:
    """Post the message back to PayPal, as its IPN protocol requires."""
    request = Request(  # noqa: S310 - the URL's scheme is checked when settings load
        settings.PAYPAL_IPN_VERIFY_URL,
        data=b"cmd=_notify-validate&" + raw_body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Rostra-IPN"},
    )
    with urlopen(request, timeout=15) as response:  # noqa: S310
        return response.read().strip() == b"VERIFIED"


def _paid_to_the_outlet(data) -> bool:
    """Whether the receiving account is the outlet's: each configured identifier must
    match. `receiver_email` is the account's primary address, `business` the one the
    button or sender used (PayPal lowercases it), `receiver_id` its merchant id."""
    emails = settings.PAYPAL_RECEIVER_EMAILS
    merchant_id = settings.PAYPAL_MERCHANT_ID
    addresses = {data.get(key, "").strip().lower() for key in ("receiver_email", "business")}
    if emails and not addresses & set(emails):
        return False
    return not merchant_id or data.get("receiver_id", "").strip().upper() == merchant_id


def _paypal_ipn_event(data, *, campaign_currency: str) -> DonationEvent:
    """The gift, or the refund of one, that a verified IPN message reports.

    NotAGift for anything else; ValueError, KeyError or ArithmeticError for a malformed
    message. Amounts the ledger cannot hold are left to `donation_record` to refuse.
    """
    txn_id = data.get("txn_id", "")
    if not _paid_to_the_outlet(data):
        raise NotAGift(f"{txn_id}: paid to another PayPal account")
    status, txn_type = data.get("payment_status", ""), data.get("txn_type", "")
    # Refund and reversal messages often carry no txn_type; they name the original.
    refund = status in PAYPAL_REFUND_STATUSES
    if status != "Completed" and not refund:
        raise NotAGift(
            f"{txn_id}: payment status {status!r} is not money received", level=logging.INFO
        )
    if txn_type not in PAYPAL_IPN_GIFT_TYPES and not (refund and not txn_type):
        raise NotAGift(f"{txn_id}: transaction type {txn_type!r} is not a gift", level=logging.INFO)
    gross = Decimal(data["mc_gross"])
    received_at = _paypal_date(data["payment_date"])
    currency = services.currency_code(data["mc_currency"])
    if refund:
        if gross >= 0:
            raise NotAGift(f"{txn_id}: a refund that takes no money back")
        reference, amount = data["parent_txn_id"], -gross
    else:
        if gross <= 0:
            raise NotAGift(f"{txn_id}: money sent, not received")
        if services.rate_for(currency, campaign_currency, received_at) is None:
            raise NotAGift(
                f"{txn_id}: the campaign counts {campaign_currency} and has no exchange "
                f"rate for {currency} (add one in Funding → Currency rates, then resend "
                "the message from PayPal's IPN history)"
            )
        reference, amount = txn_id, gross
    name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
    return DonationEvent(
        channel=ChannelKind.PAYPAL,
        external_reference=reference,
        amount=amount,
        currency=currency,
        status=DonationStatus.REFUNDED if refund else DonationStatus.CONFIRMED,
        received_at=received_at,
        donor_name=name,
        email=data.get("payer_email", ""),
        message=data.get("memo", ""),
    )


@csrf_exempt  # authenticated by PayPal's verification postback instead
@require_POST
def paypal_ipn(request):
    if not (settings.PAYPAL_RECEIVER_EMAILS or settings.PAYPAL_MERCHANT_ID):
        # 4xx: PayPal sends the message again for days, so it counts once configured.
        logger.warning(
            "PayPal IPN refused: set ROSTRA_PAYPAL_RECEIVER_EMAIL (or "
            "ROSTRA_PAYPAL_MERCHANT_ID) to the outlet's PayPal account"
        )
        return HttpResponseBadRequest(
            "PayPal IPN is not configured: ROSTRA_PAYPAL_RECEIVER_EMAIL is not set."
        )
    raw = request.body
    try:
        verified = _paypal_verified(raw)
    except OSError as error:
        logger.error("PayPal IPN not verified, PayPal unreachable: %s", error)
        return HttpResponse("verification unavailable, retry later", status=503)
    if not verified:
        logger.warning("PayPal IPN refused: PayPal did not verify it")
        return HttpResponseBadRequest("Not verified by PayPal.")
    campaign_currency = _campaign_currency()
    try:
        event = _paypal_ipn_event(request.POST, campaign_currency=campaign_currency)
        services.donation_record(event, campaign_currency=campaign_currency)
    except NotAGift as reason:
        logger.log(reason.level, "PayPal IPN not booked: %s", reason)
        return HttpResponse(f"not booked: {reason}", content_type="text/plain")
    except UNUSABLE_EVENT as error:
        logger.warning("PayPal IPN refused: %s", error)
        return HttpResponseBadRequest(f"Invalid payment: {error}")
    return HttpResponse("ok", content_type="text/plain")
