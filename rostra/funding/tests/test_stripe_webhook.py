"""Stripe events move the ledger only when signed, fresh and well-formed."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest

from rostra.funding.models import Donation, DonationStatus

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_rostra"
URL = "/funding/webhooks/stripe/"


@pytest.fixture(autouse=True)
def stripe_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def signed(payload: dict, *, secret=SECRET, at=None):
    body = json.dumps(payload)
    timestamp = int(at or time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return body, f"t={timestamp},v1={signature.hexdigest()}"


def send(client, payload, **kwargs):
    body, header = signed(payload, **kwargs)
    return client.post(
        URL, body, content_type="application/json", headers={"Stripe-Signature": header}
    )


def event(kind, obj, event_id="evt_1"):
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "type": kind,
        "data": {"object": obj},
        "livemode": False,
    }


CHECKOUT_PAID = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "mode": "payment",
    "payment_status": "paid",
    "payment_intent": "pi_3Abc",
    "amount_total": 2500,
    "currency": "usd",
    "customer_details": {"email": "ana@example.org", "name": "Ana Ribeiro"},
    "metadata": {"public_name": "yes", "message": "For the flood reporting"},
}


def test_paid_checkout_is_recorded_once_even_when_replayed(client, campaign):
    assert send(client, event("checkout.session.completed", CHECKOUT_PAID)).status_code == 200
    assert send(client, event("checkout.session.completed", CHECKOUT_PAID)).status_code == 200
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.status) == (
        Decimal("25.00"),
        "USD",
        DonationStatus.CONFIRMED,
    )
    assert (donation.donor_name, donation.is_anonymous) == ("Ana Ribeiro", False)


def test_monthly_gifts_count_from_invoices_and_refunds_reverse_them(client, campaign):
    subscription_checkout = {**CHECKOUT_PAID, "mode": "subscription", "payment_intent": None}
    send(client, event("checkout.session.completed", subscription_checkout))
    assert not Donation.objects.exists(), "the first month is counted from its invoice"
    invoice = {
        "id": "in_1",
        "object": "invoice",
        "amount_paid": 1000,
        "currency": "eur",
        "payment_intent": "pi_month1",
        "customer_email": "bea@example.org",
        "customer_name": "Bea",
    }
    send(client, event("invoice.paid", invoice, "evt_2"))
    charge = {
        "id": "ch_1",
        "object": "charge",
        "amount": 1000,
        "currency": "eur",
        "payment_intent": "pi_month1",
        "refunded": True,
    }
    send(client, event("charge.refunded", charge, "evt_3"))
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.status) == (
        Decimal("10.00"),
        "EUR",
        DonationStatus.REFUNDED,
    )


def test_zero_decimal_currencies_are_not_divided(client, campaign):
    yen = {**CHECKOUT_PAID, "currency": "jpy", "amount_total": 3000, "payment_intent": "pi_jpy"}
    send(client, event("checkout.session.completed", yen))
    assert Donation.objects.get().amount == Decimal("3000.00")


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "stale", "no header", "edited body"],
)
def test_unverified_events_get_400_and_record_nothing(client, campaign, tamper):
    payload = event("checkout.session.completed", CHECKOUT_PAID)
    if tamper == "wrong secret":
        body, header = signed(payload, secret="whsec_other")
    elif tamper == "stale":
        body, header = signed(payload, at=time.time() - 3600)
    elif tamper == "no header":
        body, header = json.dumps(payload), ""
    else:
        body, header = signed(payload)
        body = body.replace("2500", "250000")
    response = client.post(
        URL, body, content_type="application/json", headers={"Stripe-Signature": header}
    )
    assert response.status_code == 400
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "obj",
    [
        {"object": "checkout.session", "mode": "payment", "payment_status": "paid"},
        {**CHECKOUT_PAID, "amount_total": -100},
        {**CHECKOUT_PAID, "currency": "dollars"},
    ],
)
def test_malformed_events_get_400_and_record_nothing(client, campaign, obj):
    response = send(client, event("checkout.session.completed", obj))
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_not_json_gets_400(client, campaign):
    body = "not json"
    timestamp = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    response = client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Stripe-Signature": f"t={timestamp},v1={signature.hexdigest()}"},
    )
    assert response.status_code == 400


def test_unrelated_events_are_acknowledged_and_ignored(client, campaign):
    response = send(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and not Donation.objects.exists()


@pytest.mark.parametrize("amount_total", [10**30, 1e30, 0.1], ids=["10**30", "1e30", "0.1 cent"])
def test_amounts_the_ledger_cannot_hold_get_400_and_record_nothing(client, campaign, amount_total):
    """A correctly signed event with an absurd or fractional amount is refused with 400 (a
    permanent error) and a reason, never a 500."""
    obj = {**CHECKOUT_PAID, "amount_total": amount_total}
    response = send(client, event("checkout.session.completed", obj))
    assert response.status_code == 400 and b"amount" in response.content
    assert not Donation.objects.exists()
