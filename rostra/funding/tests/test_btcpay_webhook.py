"""BTCPay Server's InvoiceSettled events record a gift once, from the invoice's amount."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest

from rostra.funding.models import Donation, WebhookDelivery
from rostra.funding.testing import FakeBTCPay

pytestmark = pytest.mark.django_db

SECRET = "btcpay-webhook-secret"
URL = "/funding/webhooks/btcpay/"


@pytest.fixture
def btcpay(settings, campaign):
    with FakeBTCPay() as fake:
        settings.BTCPAY_URL = fake.url
        settings.BTCPAY_API_KEY = "greenfield-key"
        settings.BTCPAY_WEBHOOK_SECRET = SECRET
        yield fake


def payload(kind="InvoiceSettled", delivery="dlv_1", invoice="inv_1"):
    return {
        "deliveryId": delivery,
        "webhookId": "wh_1",
        "originalDeliveryId": delivery,
        "isRedelivery": False,
        "type": kind,
        "timestamp": int(time.time()),
        "storeId": "store1",
        "invoiceId": invoice,
        "manuallyMarked": False,
        "overPaid": False,
        "metadata": {},
    }


def send(client, data, *, secret=SECRET, body=None):
    raw = body if body is not None else json.dumps(data).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(URL, raw, content_type="application/json", headers={"BTCPay-Sig": signature})


def test_settled_invoice_is_recorded_from_its_amount(client, btcpay):
    assert send(client, payload()).status_code == 200
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.channel) == (
        Decimal("42.50"),
        "USD",
        "btcpay",
    )
    assert (donation.external_reference, donation.donor_name) == ("inv_1", "Satoshi Reader")
    assert btcpay.lookups == [("/api/v1/stores/store1/invoices/inv_1", "token greenfield-key")]


def test_replays_and_redeliveries_record_nothing_twice(client, btcpay):
    send(client, payload())
    send(client, payload())  # same delivery: not even looked up again
    send(client, payload(delivery="dlv_2"))  # a redelivery of the same invoice
    assert Donation.objects.count() == 1
    assert len(btcpay.lookups) == 2


@pytest.mark.parametrize("kind", ["InvoiceInvalid", "InvoiceExpired", "InvoiceCreated"])
def test_unsettled_invoices_are_ignored(client, btcpay, kind):
    assert send(client, payload(kind=kind)).status_code == 200
    assert not Donation.objects.exists() and btcpay.lookups == []


def test_bad_signature_gets_400(client, btcpay):
    assert send(client, payload(), secret="wrong").status_code == 400
    response = client.post(URL, json.dumps(payload()), content_type="application/json")
    assert response.status_code == 400
    assert not Donation.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"type": "InvoiceSettled"}'])
def test_malformed_bodies_get_400(client, btcpay, body):
    assert send(client, None, body=body).status_code == 400
    assert not Donation.objects.exists()


def test_unreachable_btcpay_asks_for_a_retry_and_records_nothing(client, btcpay, settings):
    settings.BTCPAY_URL = "http://127.0.0.1:9"  # discard port: connection refused
    assert send(client, payload()).status_code == 503
    assert not Donation.objects.exists()
    settings.BTCPAY_URL = btcpay.url
    assert send(client, payload()).status_code == 200, "the retry succeeds"
    assert Donation.objects.count() == 1


@pytest.mark.parametrize("amount", ["1" + "0" * 30, 1e30, "0.001"], ids=["10**30", "1e30", "0.001"])
def test_invoice_amounts_the_ledger_cannot_hold_get_400(client, btcpay, amount):
    """A settled invoice of 10**30, 1e30 or a tenth of a cent is refused with 400 and a
    reason, never a 500, and nothing is booked or marked delivered."""
    btcpay.amount = amount
    response = send(client, payload())
    assert response.status_code == 400 and b"amount" in response.content
    assert not Donation.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_signature_header_with_other_characters_gets_400(client, btcpay):
    """A BTCPay-Sig that is not ASCII is a wrong signature, not a 500."""
    response = client.post(
        URL, json.dumps(payload()), content_type="application/json",
        headers={"BTCPay-Sig": "sha256=\u00e9t\u00e9"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Donation.objects.exists()
