"""PayPal IPN messages count only after PayPal itself verifies them."""

from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from rostra.funding.models import Donation, DonationStatus
from rostra.funding.testing import FakePayPal

pytestmark = pytest.mark.django_db


@pytest.fixture
def paypal(settings, campaign):
    with FakePayPal() as fake:
        settings.PAYPAL_IPN_VERIFY_URL = f"{fake.url}/cgi-bin/webscr"
        yield fake


PAYMENT = {
    "txn_type": "web_accept",
    "payment_status": "Completed",
    "txn_id": "61E67681CH3238416",
    "mc_gross": "20.00",
    "mc_currency": "USD",
    "payment_date": "10:02:03 Mar 14, 2025 PDT",
    "first_name": "Ana",
    "last_name": "Ribeiro",
    "payer_email": "ana@example.org",
    "receiver_email": "donations@harrowby-herald.example",
    "memo": "Thanks for the flood reporting",
    "charset": "UTF-8",
}


def send(client, paypal, fields, *, genuine=True):
    body = urlencode(fields).encode()
    if genuine:
        paypal.genuine.add(body)
    return client.post(
        "/funding/webhooks/paypal/", body, content_type="application/x-www-form-urlencoded"
    )


def test_verified_payment_is_recorded_once_with_paypals_time_zone(client, paypal):
    assert send(client, paypal, PAYMENT).status_code == 200
    assert send(client, paypal, PAYMENT).status_code == 200
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.donor_name) == (
        Decimal("20.00"),
        "USD",
        "Ana Ribeiro",
    )
    assert donation.received_at == datetime(2025, 3, 14, 17, 2, 3, tzinfo=UTC)
    assert paypal.received[0].startswith(b"cmd=_notify-validate&txn_type=web_accept")


def test_refund_marks_the_original_payment_refunded(client, paypal):
    send(client, paypal, PAYMENT)
    refund = {
        **PAYMENT,
        "payment_status": "Refunded",
        "txn_id": "9XR1",
        "mc_gross": "-20.00",
        "parent_txn_id": PAYMENT["txn_id"],
        "reason_code": "refund",
    }
    assert send(client, paypal, refund).status_code == 200
    assert Donation.objects.get().status == DonationStatus.REFUNDED


def test_forged_message_is_refused_and_records_nothing(client, paypal):
    assert send(client, paypal, PAYMENT, genuine=False).status_code == 400
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"mc_gross": "twenty"}, {"payment_date": "yesterday"}, {"mc_currency": "DOLLARS"}],
)
def test_malformed_payment_is_refused(client, paypal, changes):
    assert send(client, paypal, {**PAYMENT, **changes}).status_code == 400
    assert not Donation.objects.exists()


def test_unreachable_paypal_asks_for_a_retry(client, paypal, settings):
    settings.PAYPAL_IPN_VERIFY_URL = "http://127.0.0.1:9/cgi-bin/webscr"
    assert send(client, paypal, PAYMENT).status_code == 503
    assert not Donation.objects.exists()
