"""PayPal IPN: every message is posted back to PayPal (`cmd=_notify-validate`) and counts
only when PayPal answers VERIFIED and it reports money received by the outlet's own
account (ROSTRA_PAYPAL_RECEIVER_EMAIL, ROSTRA_PAYPAL_MERCHANT_ID)."""

import logging
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.request import Request, urlopen

from django.conf import settings

from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.providers.base import NotBooked, PaymentProvider, RetryLater, WebhookRejected
from rostra.funding.services.donations import DonationEvent, currency_code, rate_for

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


class PayPalIPN(PaymentProvider):
    name = "paypal"
    label = "PayPal IPN"
    refusal = "Invalid payment"

    def verify(self, request) -> None:
        if not (settings.PAYPAL_RECEIVER_EMAILS or settings.PAYPAL_MERCHANT_ID):
            # 4xx: PayPal sends the message again for days, so it counts once configured.
            raise WebhookRejected(
                "PayPal IPN is not configured: ROSTRA_PAYPAL_RECEIVER_EMAIL is not set.",
                reason="set ROSTRA_PAYPAL_RECEIVER_EMAIL (or ROSTRA_PAYPAL_MERCHANT_ID) "
                "to the outlet's PayPal account",
            )
        try:
            verified = _verified_by_paypal(request.body)
        except OSError as error:
            raise RetryLater(
                "verification unavailable, retry later", reason=f"PayPal unreachable: {error}"
            ) from error
        if not verified:
            raise WebhookRejected("Not verified by PayPal.", reason="PayPal did not verify it")

    def events(self, request) -> list[DonationEvent]:
        """The gift, or the refund of one, that a verified IPN message reports; NotBooked
        for anything else. Amounts the ledger cannot hold are left to the service."""
        data = request.POST
        txn_id = data.get("txn_id", "")
        if not _paid_to_the_outlet(data):
            raise NotBooked(f"{txn_id}: paid to another PayPal account")
        status, txn_type = data.get("payment_status", ""), data.get("txn_type", "")
        # Refund and reversal messages often carry no txn_type; they name the original.
        refund = status in PAYPAL_REFUND_STATUSES
        if status != "Completed" and not refund:
            raise NotBooked(
                f"{txn_id}: payment status {status!r} is not money received", level=logging.INFO
            )
        if txn_type not in PAYPAL_IPN_GIFT_TYPES and not (refund and not txn_type):
            raise NotBooked(
                f"{txn_id}: transaction type {txn_type!r} is not a gift", level=logging.INFO
            )
        gross = Decimal(data["mc_gross"])
        received_at = _paypal_date(data["payment_date"])
        currency = currency_code(data["mc_currency"])
        if refund:
            if gross >= 0:
                raise NotBooked(f"{txn_id}: a refund that takes no money back")
            reference, amount = data["parent_txn_id"], -gross
        else:
            if gross <= 0:
                raise NotBooked(f"{txn_id}: money sent, not received")
            reference, amount = txn_id, gross
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        return [
            DonationEvent(
                channel=ChannelKind.PAYPAL,
                external_reference=reference,
                amount=amount,
                currency=currency,
                status=DonationStatus.REFUNDED if refund else DonationStatus.CONFIRMED,
                received_at=received_at,
                donor_name=name,
                email=data.get("payer_email", ""),
                message=data.get("memo", ""),
                recurring_reference=""
                if refund
                else data.get("subscr_id") or data.get("recurring_payment_id") or "",
            )
        ]

    def check_bookable(self, event: DonationEvent, *, campaign_currency: str) -> None:
        """A gift in a currency the campaign has no rate for waits until it has one:
        PayPal's IPN history can send the message again then."""
        if event.status == DonationStatus.REFUNDED:
            return
        if rate_for(event.currency, campaign_currency, event.received_at) is None:
            raise NotBooked(
                f"{event.external_reference}: the campaign counts {campaign_currency} and has "
                f"no exchange rate for {event.currency} (add one in Funding → Currency rates, "
                "then resend the message from PayPal's IPN history)"
            )


def _paypal_date(value: str) -> datetime:
    """PayPal writes “10:02:03 Mar 14, 2025 PDT”."""
    text, _, zone = value.rpartition(" ")
    if zone not in PAYPAL_TIME_ZONES:
        raise ValueError(f"unknown time zone in payment_date {value!r}")
    local = datetime.strptime(text, "%H:%M:%S %b %d, %Y")
    return local.replace(tzinfo=timezone(timedelta(hours=PAYPAL_TIME_ZONES[zone])))


def _verified_by_paypal(raw_body: bytes) -> bool:
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
