"""Each payment provider, on its own: what it accepts as genuine and which gifts it reads
from a delivery. No database: requests are built with Django's RequestFactory and given
to the provider class; BTCPay's invoices and PayPal's verification come from the local
stand-ins in funding.testing."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from rostra.funding.models import DonationStatus
from rostra.funding.providers.base import NotBooked, RetryLater, WebhookRejected
from rostra.funding.providers.registry import all_providers, provider_for
from rostra.funding.services import DonationEvent
from rostra.funding.testing import FakeBTCPay, FakePayPal

requests = RequestFactory()


def genuine_events(name: str, request) -> list[DonationEvent]:
    """What provider `name` reads from `request`, once it has verified it."""
    provider = provider_for(name)
    provider.verify(request)
    return provider.parse(request)


def test_every_provider_is_registered_under_its_webhook_name():
    """The five providers answer at /funding/webhooks/<name>/, the URLs operators set."""
    assert sorted(all_providers()) == ["btcpay", "kofi", "patreon", "paypal", "stripe"]
    assert provider_for("nobody") is None


# Stripe ------------------------------------------------------------------------------

STRIPE_SECRET = "whsec_provider_test"


def stripe_request(payload: dict, *, secret=STRIPE_SECRET):
    body = json.dumps(payload)
    timestamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return requests.post(
        "/funding/webhooks/stripe/",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": f"t={timestamp},v1={signature.hexdigest()}"},
    )


def stripe_event(kind: str, obj: dict) -> dict:
    return {"id": "evt_1", "type": kind, "created": 1741957200, "data": {"object": obj}}


def test_stripe_reads_a_paid_checkout_as_a_named_gift(settings):
    """A paid one-off checkout is a confirmed card gift under its payment intent, in units
    of the currency, with the donor's choice of showing their name."""
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET
    session = {
        "id": "cs_1", "mode": "payment", "payment_status": "paid", "payment_intent": "pi_1",
        "amount_total": 2500, "currency": "usd",
        "customer_details": {"name": "Ana Ribeiro", "email": "ana@example.org"},
        "metadata": {"public_name": "yes", "message": "For the flood reporting"},
    }  # fmt: skip
    request = stripe_request(stripe_event("checkout.session.completed", session))
    assert genuine_events("stripe", request) == [
        DonationEvent(
            channel="card",
            external_reference="pi_1",
            amount=Decimal("25"),
            currency="usd",
            status=DonationStatus.CONFIRMED,
            received_at=datetime(2025, 3, 14, 13, 0, tzinfo=UTC),
            donor_name="Ana Ribeiro",
            email="ana@example.org",
            message="For the flood reporting",
            is_anonymous=False,
        )
    ]


def test_stripe_reads_refunds_and_ignores_other_events(settings):
    """A full refund refers to the gift's payment intent; a new customer is no gift."""
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET
    stripe = provider_for("stripe")
    charge = {"id": "ch_1", "amount": 3000, "currency": "jpy", "payment_intent": "pi_2",
              "refunded": True}  # fmt: skip
    [refund] = stripe.parse(stripe_request(stripe_event("charge.refunded", charge)))
    assert (refund.external_reference, refund.amount, refund.status) == (
        "pi_2",
        Decimal(3000),
        DonationStatus.REFUNDED,
    )
    assert stripe.parse(stripe_request(stripe_event("customer.created", {"id": "c"}))) == []


def test_stripe_refuses_other_signatures_and_an_unset_secret(settings):
    """A signature made with another secret is refused; so is everything while
    ROSTRA_STRIPE_WEBHOOK_SECRET is unset, and the log says which setting is missing."""
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET
    stripe = provider_for("stripe")
    with pytest.raises(WebhookRejected, match="Invalid signature"):
        stripe.verify(stripe_request(stripe_event("x", {}), secret="whsec_other"))
    settings.STRIPE_WEBHOOK_SECRET = ""
    with pytest.raises(WebhookRejected) as refusal:
        stripe.verify(stripe_request(stripe_event("x", {})))
    assert refusal.value.answer == "Stripe webhooks are not configured."
    assert "ROSTRA_STRIPE_WEBHOOK_SECRET" in refusal.value.reason


def test_stripe_refuses_an_amount_that_is_not_a_whole_number_of_cents(settings):
    """Stripe counts in cents: 0.1 of one is no amount Stripe sends."""
    session = {"id": "cs_1", "mode": "payment", "payment_status": "paid",
               "amount_total": 0.1, "currency": "usd"}  # fmt: skip
    request = stripe_request(stripe_event("checkout.session.completed", session))
    with pytest.raises(WebhookRejected, match=r"^Invalid payload: amount 0\.1 "):
        provider_for("stripe").parse(request)


# BTCPay ------------------------------------------------------------------------------

BTCPAY_SECRET = "btcpay-provider-test"


def btcpay_request(payload: dict, *, secret=BTCPAY_SECRET):
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return requests.post(
        "/funding/webhooks/btcpay/",
        raw,
        content_type="application/json",
        headers={"BTCPay-Sig": signature},
    )


def btcpay_payload(kind="InvoiceSettled") -> dict:
    return {"deliveryId": "dlv_9", "type": kind, "timestamp": 1741957200,
            "storeId": "store1", "invoiceId": "inv_9"}  # fmt: skip


def test_btcpay_reads_the_settled_invoice_from_greenfield(settings):
    """A settled invoice is booked for the amount BTCPay's API gives; the delivery is
    numbered so that a redelivery is not read again."""
    settings.BTCPAY_WEBHOOK_SECRET = BTCPAY_SECRET
    settings.BTCPAY_API_KEY = "greenfield-key"
    btcpay = provider_for("btcpay")
    request = btcpay_request(btcpay_payload())
    with FakeBTCPay() as fake:
        settings.BTCPAY_URL = fake.url
        btcpay.verify(request)
        [gift] = btcpay.parse(request)
    assert btcpay.delivery_id(request) == "dlv_9"
    assert (gift.channel, gift.external_reference, gift.amount, gift.currency) == (
        "btcpay",
        "inv_9",
        "42.50",
        "USD",
    )
    assert gift.donor_name == "Satoshi Reader"
    assert fake.lookups == [("/api/v1/stores/store1/invoices/inv_9", "token greenfield-key")]


def test_btcpay_ignores_unsettled_invoices_without_asking_btcpay(settings):
    """Expired or invalid invoices are no gift; there is nothing to look up or number."""
    settings.BTCPAY_URL = "http://127.0.0.1:9"  # would refuse a connection
    btcpay = provider_for("btcpay")
    request = btcpay_request(btcpay_payload("InvoiceExpired"))
    assert btcpay.parse(request) == [] and btcpay.delivery_id(request) == ""


def test_btcpay_unreachable_is_retried_and_a_bad_signature_refused(settings):
    """BTCPay down is a retry (503); a body signed with another secret is refused."""
    settings.BTCPAY_WEBHOOK_SECRET = BTCPAY_SECRET
    settings.BTCPAY_URL, settings.BTCPAY_API_KEY = "http://127.0.0.1:9", "key"
    btcpay = provider_for("btcpay")
    with pytest.raises(RetryLater, match="BTCPay unavailable"):
        btcpay.parse(btcpay_request(btcpay_payload()))
    with pytest.raises(WebhookRejected, match="Invalid signature"):
        btcpay.verify(btcpay_request(btcpay_payload(), secret="other"))


# Ko-fi -------------------------------------------------------------------------------

KOFI_TOKEN = "kofi-provider-test"


def kofi_request(**changes):
    data = {
        "verification_token": KOFI_TOKEN, "type": "Donation", "is_public": False,
        "from_name": "Jo", "message": "Private note", "amount": "3.00", "currency": "EUR",
        "timestamp": "2025-03-14T13:04:30Z", "kofi_transaction_id": "k-1", "email": "",
    }  # fmt: skip
    return requests.post("/funding/webhooks/kofi/", {"data": json.dumps({**data, **changes})})


def test_kofi_reads_a_private_gift_without_its_message(settings):
    """A gift the donor kept private is anonymous and its message stays off the wall."""
    settings.KOFI_VERIFICATION_TOKEN = KOFI_TOKEN
    [gift] = genuine_events("kofi", kofi_request())
    assert (gift.external_reference, gift.amount, gift.currency) == ("k-1", "3.00", "EUR")
    assert gift.is_anonymous and gift.message == ""
    assert gift.received_at == datetime(2025, 3, 14, 13, 4, 30, tzinfo=UTC)


def test_kofi_refuses_a_wrong_token_and_reads_shop_orders_as_no_gift(settings):
    settings.KOFI_VERIFICATION_TOKEN = KOFI_TOKEN
    kofi = provider_for("kofi")
    with pytest.raises(WebhookRejected, match="Invalid verification token"):
        kofi.verify(kofi_request(verification_token="guess"))
    with pytest.raises(WebhookRejected, match="Malformed payload"):
        kofi.verify(requests.post("/funding/webhooks/kofi/", {"data": "[1]"}))
    assert kofi.parse(kofi_request(type="Shop Order")) == []


def test_kofi_refuses_a_timestamp_without_a_time_zone(settings):
    with pytest.raises(WebhookRejected, match=r"^Invalid donation: timestamp"):
        provider_for("kofi").parse(kofi_request(timestamp="2025-03-14T13:04:30"))


# Patreon -----------------------------------------------------------------------------

PATREON_SECRET = "patreon-provider-test"


def patreon_request(*, event="members:pledge:create", status="Paid", secret=PATREON_SECRET):
    body = json.dumps({
        "data": {"id": "m-1", "attributes": {
            "currently_entitled_amount_cents": 500, "full_name": "Pat", "email": "p@example.org",
            "last_charge_date": "2025-03-01T10:00:00.000+00:00", "last_charge_status": status,
        }},
        "included": [{"type": "campaign", "attributes": {"currency": "EUR"}}],
    }).encode()  # fmt: skip
    return requests.post(
        "/funding/webhooks/patreon/",
        body,
        content_type="application/json",
        headers={
            "X-Patreon-Signature": hmac.new(secret.encode(), body, hashlib.md5).hexdigest(),
            "X-Patreon-Event": event,
        },
    )


def test_patreon_reads_one_gift_per_member_and_charge(settings):
    """A paid charge is a gift in the campaign's currency, keyed by member and charge date."""
    settings.PATREON_WEBHOOK_SECRET = PATREON_SECRET
    [gift] = genuine_events("patreon", patreon_request())
    assert (gift.external_reference, gift.amount, gift.currency) == (
        "m-1:2025-03-01T10:00:00.000+00:00",
        Decimal("5"),
        "EUR",
    )


def test_patreon_declined_charges_and_deletions_are_no_gift_and_forgeries_refused(settings):
    settings.PATREON_WEBHOOK_SECRET = PATREON_SECRET
    patreon = provider_for("patreon")
    # No gift; what they say about the member's monthly gift only (see test_monthly_webhooks).
    declined = patreon.parse(patreon_request(status="Declined"))
    deleted = patreon.parse(patreon_request(event="members:pledge:delete"))
    assert not any(isinstance(e, DonationEvent) for e in [*declined, *deleted])
    assert [e.status for e in deleted] == ["cancelled"]
    with pytest.raises(WebhookRejected, match="Invalid signature"):
        patreon.verify(patreon_request(secret="other"))


# PayPal IPN --------------------------------------------------------------------------

OUTLET = "donations@harrowby-herald.example"
IPN = {
    "txn_type": "web_accept", "payment_status": "Completed", "txn_id": "TX1",
    "mc_gross": "20.00", "mc_currency": "USD", "payment_date": "10:02:03 Mar 14, 2025 PDT",
    "first_name": "Ana", "last_name": "Ribeiro", "receiver_email": OUTLET, "business": OUTLET,
}  # fmt: skip


def ipn_request(fields: dict):
    return requests.post(
        "/funding/webhooks/paypal/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.fixture
def outlet_account(settings):
    settings.PAYPAL_RECEIVER_EMAILS = [OUTLET]
    settings.PAYPAL_MERCHANT_ID = ""


def test_paypal_verifies_by_posting_the_message_back(settings, outlet_account):
    """Only a message PayPal answers VERIFIED for is genuine; PayPal unreachable is a retry."""
    paypal = provider_for("paypal")
    genuine, forged = ipn_request(IPN), ipn_request({**IPN, "mc_gross": "2000.00"})
    with FakePayPal() as fake:
        settings.PAYPAL_IPN_VERIFY_URL = fake.url
        fake.genuine.add(genuine.body)
        paypal.verify(genuine)
        with pytest.raises(WebhookRejected, match="Not verified by PayPal"):
            paypal.verify(forged)
    settings.PAYPAL_IPN_VERIFY_URL = "http://127.0.0.1:9/cgi-bin/webscr"
    with pytest.raises(RetryLater):
        paypal.verify(genuine)


def test_paypal_reads_gifts_and_refunds_in_paypals_time_zone(outlet_account):
    paypal = provider_for("paypal")
    [gift] = paypal.parse(ipn_request(IPN))
    assert (gift.external_reference, gift.amount, gift.donor_name, gift.received_at) == (
        "TX1",
        Decimal("20.00"),
        "Ana Ribeiro",
        datetime(2025, 3, 14, 17, 2, 3, tzinfo=UTC),
    )
    refund = {**IPN, "payment_status": "Refunded", "mc_gross": "-20.00", "parent_txn_id": "TX1"}
    [reversal] = paypal.parse(ipn_request(refund))
    assert (reversal.external_reference, reversal.status) == ("TX1", DonationStatus.REFUNDED)


def test_paypal_messages_about_other_money_are_not_booked(outlet_account):
    """Money to another account, pending payments and sign-ups: acknowledged, not booked."""
    paypal = provider_for("paypal")
    for changes in (
        {"receiver_email": "x@example.net", "business": "x@example.net"},
        {"payment_status": "Pending"},
        {"txn_type": "subscr_signup"},
    ):
        with pytest.raises(NotBooked):
            paypal.parse(ipn_request({**IPN, **changes}))
