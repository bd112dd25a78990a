"""PayPal IPN messages count only after PayPal itself verifies them, and only when they
report money received by the outlet's own PayPal account."""

import logging
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from rostra.funding.models import CurrencyRate, Donation, DonationStatus
from rostra.funding.testing import FakePayPal

pytestmark = pytest.mark.django_db

OUTLET_EMAIL = "donations@harrowby-herald.example"


@pytest.fixture
def paypal(settings, campaign):
    with FakePayPal() as fake:
        settings.PAYPAL_IPN_VERIFY_URL = f"{fake.url}/cgi-bin/webscr"
        settings.PAYPAL_RECEIVER_EMAILS = [OUTLET_EMAIL]
        settings.PAYPAL_MERCHANT_ID = ""
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
    "receiver_email": OUTLET_EMAIL,
    "business": OUTLET_EMAIL,
    "receiver_id": "S8XGHLYDW9T3S",
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


REFUND = {
    **PAYMENT,
    "payment_status": "Refunded",
    "txn_id": "9XR1",
    "mc_gross": "-20.00",
    "parent_txn_id": PAYMENT["txn_id"],
    "reason_code": "refund",
}


def test_refund_marks_the_original_payment_refunded(client, paypal):
    send(client, paypal, PAYMENT)
    assert send(client, paypal, REFUND).status_code == 200
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


def refused(response) -> bool:
    """Acknowledged with 200, so PayPal does not send it again, but booked as nothing."""
    return response.status_code == 200 and response.content.startswith(b"not booked")


def test_without_a_configured_receiver_ipns_are_refused_unverified(
    client, paypal, settings, caplog
):
    """No receiver configured: 400 and a log line naming the variable; PayPal is not even
    asked, and its retries will count once the operator sets the variable."""
    settings.PAYPAL_RECEIVER_EMAILS = []
    with caplog.at_level(logging.WARNING, logger="rostra.funding.webhooks"):
        response = send(client, paypal, PAYMENT)
    assert response.status_code == 400
    assert b"ROSTRA_PAYPAL_RECEIVER_EMAIL" in response.content
    assert "ROSTRA_PAYPAL_RECEIVER_EMAIL" in caplog.text
    assert paypal.received == [] and not Donation.objects.exists()


def test_payment_to_another_paypal_account_is_not_booked(client, paypal, caplog):
    """An attacker paying themselves with this IPN address raises nothing, and is logged."""
    theirs = {
        **PAYMENT,
        "receiver_email": "attacker@example.net",
        "business": "attacker@example.net",
        "receiver_id": "ATTACKER00001",
    }
    with caplog.at_level(logging.WARNING, logger="rostra.funding.webhooks"):
        response = send(client, paypal, theirs)
    assert refused(response)
    assert "another PayPal account" in caplog.text and PAYMENT["txn_id"] in caplog.text
    assert not Donation.objects.exists()


def test_a_refund_on_another_account_leaves_our_gift_standing(client, paypal):
    """Only the outlet's own account can refund the outlet's gifts."""
    send(client, paypal, PAYMENT)
    theirs = {**REFUND, "receiver_email": "attacker@example.net", "business": "attacker@x.net"}
    assert refused(send(client, paypal, theirs))
    assert Donation.objects.get().status == DonationStatus.CONFIRMED


def test_a_secondary_address_of_the_account_counts(client, paypal, settings):
    """`business` carries the address the donate button used, `receiver_email` the
    account's primary one; either may be the configured one (PayPal lowercases them)."""
    settings.PAYPAL_RECEIVER_EMAILS = ["gifts@harrowby-herald.example"]
    to_secondary = {**PAYMENT, "business": "Gifts@Harrowby-Herald.example"}
    assert send(client, paypal, to_secondary).status_code == 200
    assert Donation.objects.count() == 1


def test_the_merchant_id_must_match_when_configured(client, paypal, settings):
    """With ROSTRA_PAYPAL_MERCHANT_ID set, the account id (receiver_id) must match too."""
    settings.PAYPAL_MERCHANT_ID = "S8XGHLYDW9T3S"
    assert refused(send(client, paypal, {**PAYMENT, "receiver_id": "OTHER0000001"}))
    assert not Donation.objects.exists()
    assert send(client, paypal, PAYMENT).content == b"ok"
    settings.PAYPAL_RECEIVER_EMAILS = []  # the merchant id alone is enough configuration
    assert send(client, paypal, {**PAYMENT, "txn_id": "61E67681CH3238417"}).content == b"ok"
    assert Donation.objects.count() == 2


@pytest.mark.parametrize(
    "txn_type",
    ["web_accept", "send_money", "cart", "express_checkout", "subscr_payment",
     "recurring_payment"],
)  # fmt: skip
def test_money_received_counts_whatever_paid_for_it(client, paypal, txn_type):
    """Donate buttons, money sent to the address, carts and monthly payments are gifts."""
    assert send(client, paypal, {**PAYMENT, "txn_type": txn_type}).content == b"ok"
    assert Donation.objects.get().status == DonationStatus.CONFIRMED


@pytest.mark.parametrize(
    "txn_type",
    ["masspay", "payout", "merch_pmt", "subscr_signup", "new_case", "adjustment", ""],
)
def test_transactions_that_are_not_gifts_are_not_booked(client, paypal, txn_type):
    """Payments the account sent, sign-ups, disputes and untyped messages raise nothing."""
    assert refused(send(client, paypal, {**PAYMENT, "txn_type": txn_type}))
    assert not Donation.objects.exists()


def test_an_outgoing_payment_is_not_a_gift(client, paypal):
    """A negative amount is money leaving the account; it used to count as a gift."""
    assert refused(send(client, paypal, {**PAYMENT, "mc_gross": "-20.00"}))
    assert not Donation.objects.exists()


@pytest.mark.parametrize("status", ["Pending", "Denied", "Failed", "Canceled_Reversal"])
def test_only_completed_payments_are_booked(client, paypal, status):
    """A pending payment is not money yet; PayPal sends another message when it completes."""
    assert refused(send(client, paypal, {**PAYMENT, "payment_status": status}))
    assert not Donation.objects.exists()


def test_a_currency_the_campaign_cannot_count_is_not_booked(client, paypal, caplog):
    """The campaign counts dollars; euros need an exchange rate first. Once one is set,
    the message (resent from PayPal's IPN history) counts."""
    in_euros = {**PAYMENT, "mc_currency": "EUR"}
    with caplog.at_level(logging.WARNING, logger="rostra.funding.webhooks"):
        assert refused(send(client, paypal, in_euros))
    assert "EUR" in caplog.text and not Donation.objects.exists()
    CurrencyRate.objects.create(
        currency="EUR",
        campaign_currency="USD",
        rate=Decimal("1.08"),
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert send(client, paypal, in_euros).content == b"ok"
    assert Donation.objects.get().rate_to_campaign == Decimal("1.08")


@pytest.mark.parametrize(
    "gross", ["1" + "0" * 30, "1e30", "0.001"], ids=["10**30", "1e30", "0.001"]
)
def test_amounts_the_ledger_cannot_hold_get_400(client, paypal, gross):
    """A verified payment of 10**30, 1e30 or a tenth of a cent is refused with 400 and a
    reason, never a 500, and nothing is booked."""
    response = send(client, paypal, {**PAYMENT, "mc_gross": gross})
    assert response.status_code == 400 and b"amount" in response.content
    assert not Donation.objects.exists()


def test_between_campaigns_the_last_campaigns_currency_is_expected(client, paypal, campaign):
    """With no campaign running, gifts are counted in the newest campaign's currency (not
    in dollars by default), so a euro newsroom's gifts still count."""
    campaign.currency, campaign.is_active = "EUR", False
    campaign.save()
    assert send(client, paypal, {**PAYMENT, "mc_currency": "EUR"}).content == b"ok"
    assert Donation.objects.get().campaign_currency == "EUR"
