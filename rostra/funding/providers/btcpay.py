"""BTCPay Server: `InvoiceSettled` books the invoice's amount, read from the Greenfield
API (the webhook itself carries none); the BTCPay-Sig header is an HMAC-SHA256 of the
raw body. Deliveries are numbered, so a redelivery is answered without a look-up."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from urllib.request import Request, urlopen

from django.conf import settings

from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.providers.base import (
    PaymentProvider,
    RetryLater,
    WebhookRejected,
    same_secret,
)
from rostra.funding.services.donations import DonationEvent

SETTLED = "InvoiceSettled"


@dataclass(frozen=True)
class Envelope:
    kind: str
    delivery_id: str
    invoice_id: str
    store_id: str
    timestamp: object


class BTCPay(PaymentProvider):
    name = "btcpay"
    label = "BTCPay webhook"
    refusal = "Invalid invoice"

    def verify(self, request) -> None:
        secret = settings.BTCPAY_WEBHOOK_SECRET
        header = request.headers.get("BTCPay-Sig", "")
        if not secret or not header.startswith("sha256="):
            raise WebhookRejected("Invalid signature.", reason="bad or missing BTCPay-Sig")
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        if not same_secret(header.removeprefix("sha256="), expected):
            raise WebhookRejected("Invalid signature.", reason="bad or missing BTCPay-Sig")

    def delivery_id(self, request) -> str:
        envelope = _envelope(request)
        return envelope.delivery_id if envelope.kind == SETTLED else ""

    def events(self, request) -> list[DonationEvent]:
        envelope = _envelope(request)
        if envelope.kind != SETTLED:
            return []
        invoice = _invoice(envelope.store_id, envelope.invoice_id)
        metadata = invoice.get("metadata") or {}
        return [
            DonationEvent(
                channel=ChannelKind.BTCPAY,
                external_reference=envelope.invoice_id,
                amount=invoice["amount"],
                currency=invoice["currency"],
                status=DonationStatus.CONFIRMED,
                received_at=datetime.fromtimestamp(int(envelope.timestamp), tz=UTC),
                donor_name=str(metadata.get("buyerName") or ""),
                email=str(metadata.get("buyerEmail") or ""),
            )
        ]


def _envelope(request) -> Envelope:
    try:
        payload = json.loads(request.body)
        return Envelope(
            kind=payload["type"],
            delivery_id=str(payload["deliveryId"]),
            invoice_id=str(payload["invoiceId"]),
            store_id=str(payload["storeId"]),
            timestamp=payload.get("timestamp"),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise WebhookRejected("Malformed payload.", reason=f"malformed body ({error})") from error


def _invoice(store_id: str, invoice_id: str) -> dict:
    """The invoice from the Greenfield API; RetryLater when BTCPay cannot be asked."""
    if not (settings.BTCPAY_URL and settings.BTCPAY_API_KEY):
        raise RetryLater(
            "BTCPay unavailable, retry later",
            reason="ROSTRA_BTCPAY_URL and ROSTRA_BTCPAY_API_KEY are not set",
        )
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
        raise RetryLater(
            "BTCPay unavailable, retry later",
            reason=f"could not read invoice {invoice_id}: {error}",
        ) from error
