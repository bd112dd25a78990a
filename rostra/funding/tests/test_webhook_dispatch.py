"""The one webhook view, end to end: each provider's genuine delivery, sent over real HTTP
to the running application (the test's live server, on the test database), is recorded
and answered "ok"; the answers every provider shares (404, 405, 503 when the database is
busy) and the queries one delivery costs."""

import contextlib
import hashlib
import hmac
import json
import sqlite3
import time
import urllib.request
from datetime import date
from decimal import Decimal
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from django.db import connection

from rostra.funding.models import Campaign, Donation, WebhookDelivery
from rostra.funding.testing import FakeBTCPay, FakePayPal


def stripe_delivery(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_e2e"
    session = {"id": "cs_1", "object": "checkout.session", "mode": "payment",
               "payment_status": "paid", "payment_intent": "pi_e2e", "amount_total": 2500,
               "currency": "usd", "customer_details": {"name": "Ana"}}  # fmt: skip
    body = json.dumps({"id": "evt_1", "type": "checkout.session.completed",
                       "created": int(time.time()), "data": {"object": session}})  # fmt: skip
    timestamp = int(time.time())
    signature = hmac.new(b"whsec_e2e", f"{timestamp}.{body}".encode(), hashlib.sha256)
    header = f"t={timestamp},v1={signature.hexdigest()}"
    return body.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}


def btcpay_delivery(settings):
    settings.BTCPAY_WEBHOOK_SECRET = "btcpay-e2e"
    settings.BTCPAY_API_KEY = "greenfield-key"
    body = json.dumps({"deliveryId": "dlv_e2e", "type": "InvoiceSettled",
                       "timestamp": int(time.time()), "storeId": "store1",
                       "invoiceId": "inv_e2e"}).encode()  # fmt: skip
    signature = "sha256=" + hmac.new(b"btcpay-e2e", body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "BTCPay-Sig": signature}


def kofi_delivery(settings):
    settings.KOFI_VERIFICATION_TOKEN = "kofi-e2e"
    data = {"verification_token": "kofi-e2e", "type": "Donation", "amount": "3.00",
            "currency": "USD", "timestamp": "2025-03-14T13:04:30Z",
            "kofi_transaction_id": "k-e2e"}  # fmt: skip
    body = urlencode({"data": json.dumps(data)}).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded"}


def patreon_delivery(settings):
    settings.PATREON_WEBHOOK_SECRET = "patreon-e2e"
    body = json.dumps({
        "data": {"id": "m-e2e", "attributes": {
            "currently_entitled_amount_cents": 500, "last_charge_status": "Paid",
            "last_charge_date": "2025-03-01T10:00:00.000+00:00",
        }},
        "included": [{"type": "campaign", "attributes": {"currency": "USD"}}],
    }).encode()  # fmt: skip
    signature = hmac.new(b"patreon-e2e", body, hashlib.md5).hexdigest()
    return body, {
        "Content-Type": "application/json",
        "X-Patreon-Signature": signature,
        "X-Patreon-Event": "members:pledge:create",
    }


def paypal_delivery(settings):
    settings.PAYPAL_RECEIVER_EMAILS = ["gifts@example.org"]
    settings.PAYPAL_MERCHANT_ID = ""
    body = urlencode({"txn_type": "web_accept", "payment_status": "Completed",
                      "txn_id": "TX-E2E", "mc_gross": "20.00", "mc_currency": "USD",
                      "payment_date": "10:02:03 Mar 14, 2025 PDT",
                      "receiver_email": "gifts@example.org"}).encode()  # fmt: skip
    return body, {"Content-Type": "application/x-www-form-urlencoded"}


DELIVERIES = {
    "stripe": (stripe_delivery, "pi_e2e"),
    "btcpay": (btcpay_delivery, "inv_e2e"),
    "kofi": (kofi_delivery, "k-e2e"),
    "patreon": (patreon_delivery, "m-e2e:2025-03-01T10:00:00.000+00:00"),
    "paypal": (paypal_delivery, "TX-E2E"),
}


@pytest.fixture
def stand_ins(settings):
    """BTCPay's API and PayPal's verification endpoint, as local servers."""
    with FakeBTCPay() as btcpay, FakePayPal() as paypal:
        settings.BTCPAY_URL = btcpay.url
        settings.PAYPAL_IPN_VERIFY_URL = f"{paypal.url}/cgi-bin/webscr"
        yield paypal


def http_post(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


@pytest.mark.django_db(transaction=True)  # the live server's thread sees committed data
@pytest.mark.parametrize("provider", DELIVERIES)
def test_a_genuine_delivery_over_http_is_recorded_once(live_server, settings, stand_ins, provider):
    """Each provider's genuine delivery, POSTed to /funding/webhooks/<provider>/ of the
    running application, is answered 200 "ok" and books one gift; sent again it books
    nothing more."""
    Campaign.objects.create(
        title="Running costs", goal=Decimal(5000), currency="USD", starts_on=date(2025, 1, 1)
    )
    build, reference = DELIVERIES[provider]
    body, headers = build(settings)
    stand_ins.genuine.add(body)
    url = f"{live_server.url}/funding/webhooks/{provider}/"
    assert http_post(url, body, headers) == (200, b"ok")
    assert http_post(url, body, headers)[0] == 200
    donation = Donation.objects.get()
    assert (donation.channel, donation.external_reference) == (
        {"stripe": "card"}.get(provider, provider),
        reference,
    )


@pytest.mark.django_db
def test_unknown_providers_are_not_found_and_only_posts_are_answered(client):
    """Another name under /funding/webhooks/ is 404; a GET to a provider's URL is 405."""
    assert client.post("/funding/webhooks/venmo/", {}).status_code == 404
    assert client.get("/funding/webhooks/stripe/").status_code == 405


@pytest.mark.django_db
def test_one_btcpay_delivery_costs_an_exact_number_of_queries(
    client, settings, stand_ins, campaign, django_assert_num_queries
):
    """Verified, parsed and recorded: has this delivery been handled, the ledger's
    currency, then in one transaction the delivery's mark, the gift, its donor (looked
    up, created) and the donor's figures (counted, saved)."""
    body, headers = btcpay_delivery(settings)
    headers = {k: v for k, v in headers.items() if k != "Content-Type"}
    with django_assert_num_queries(20):
        response = client.post(
            "/funding/webhooks/btcpay/", body, content_type="application/json", headers=headers
        )
    assert response.content == b"ok"
    assert Donation.objects.count() == 1 and WebhookDelivery.objects.count() == 1


@contextlib.contextmanager
def ledger_locked():
    """Another connection holds the ledger, as a long import would: on SQLite (the tests'
    shared-cache database) by holding its write transaction, which makes a write fail
    at once (a table read in an open transaction did too, but not on every run under
    xdist); on PostgreSQL with an EXCLUSIVE lock on the donation table, which a write
    waits on until the lock timeout set here for this connection."""
    table = Donation._meta.db_table
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute(f'SELECT * FROM "{table}"').fetchall()
    else:
        import psycopg

        params = connection.get_connection_params()
        holder = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
        holder.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


@pytest.mark.django_db(transaction=True)  # the lock holder sees only committed tables
def test_a_busy_database_asks_the_provider_to_retry(client, settings):
    """While another writer holds the ledger, a genuine delivery is answered 503 (so that
    the provider sends it again), not 500, and nothing is recorded."""
    Campaign.objects.create(
        title="Running costs", goal=Decimal(5000), currency="USD", starts_on=date(2025, 1, 1)
    )
    body, _ = kofi_delivery(settings)
    with ledger_locked():
        response = client.post(
            "/funding/webhooks/kofi/", body, content_type="application/x-www-form-urlencoded"
        )
    assert (response.status_code, response.content) == (503, b"busy, retry later")
    assert not Donation.objects.exists()
