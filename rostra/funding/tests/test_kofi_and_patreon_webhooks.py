"""Ko-fi and Patreon tell us about gifts; only verified, well-formed ones count, once."""

import hashlib
import hmac
import json
from decimal import Decimal

import pytest

from rostra.funding.models import Donation

pytestmark = pytest.mark.django_db

KOFI_TOKEN = "kofi-token-123"
PATREON_SECRET = "patreon-secret"


@pytest.fixture(autouse=True)
def secrets_set(settings, campaign):
    settings.KOFI_VERIFICATION_TOKEN = KOFI_TOKEN
    settings.PATREON_WEBHOOK_SECRET = PATREON_SECRET


def kofi_data(**changes):
    data = {
        "verification_token": KOFI_TOKEN,
        "message_id": "3a1fac0c-f960-4506-a60e-824979a74e74",
        "timestamp": "2025-03-14T13:04:30Z",
        "type": "Donation",
        "is_public": True,
        "from_name": "Jo Example",
        "message": "Good luck with the barrier story",
        "amount": "3.00",
        "url": "https://ko-fi.com/Home/CoffeeShop?txid=00000000-1111-2222-3333-444444444444",
        "email": "jo.example@example.com",
        "currency": "USD",
        "is_subscription_payment": False,
        "is_first_subscription_payment": False,
        "kofi_transaction_id": "00000000-1111-2222-3333-444444444444",
        "shop_items": None,
        "tier_name": None,
    }
    return {**data, **changes}


def post_kofi(client, data):
    return client.post("/funding/webhooks/kofi/", {"data": json.dumps(data)})


def test_kofi_donation_is_recorded_once(client):
    assert post_kofi(client, kofi_data()).status_code == 200
    assert post_kofi(client, kofi_data()).status_code == 200
    donation = Donation.objects.get()
    assert (donation.amount, donation.channel, donation.donor_name) == (
        Decimal("3.00"),
        "kofi",
        "Jo Example",
    )
    assert donation.message == "Good luck with the barrier story" and not donation.is_anonymous


def test_kofi_private_gift_keeps_message_off_the_wall(client):
    post_kofi(client, kofi_data(is_public=False))
    donation = Donation.objects.get()
    assert donation.is_anonymous and donation.message == ""


@pytest.mark.parametrize(
    "data",
    [
        kofi_data(verification_token="wrong"),
        kofi_data(amount="-3"),
        kofi_data(timestamp="yesterday"),
        {"no": "token"},
    ],
)
def test_kofi_refuses_bad_tokens_and_malformed_gifts(client, data):
    assert post_kofi(client, data).status_code == 400
    assert client.post("/funding/webhooks/kofi/", {"data": "{not json"}).status_code == 400
    assert not Donation.objects.exists()


def test_kofi_token_with_other_characters_gets_400(client):
    """A verification token that is not ASCII is a wrong token (400), not a 500."""
    for token in ["k\u00f6fi-t\u00f6ken", "\ud800"]:
        assert post_kofi(client, kofi_data(verification_token=token)).status_code == 400
    assert not Donation.objects.exists()


@pytest.mark.parametrize("amount", ["1" + "0" * 30, 1e30, "0.001"], ids=["10**30", "1e30", "0.001"])
def test_kofi_amounts_the_ledger_cannot_hold_get_400(client, amount):
    """Correctly verified, but 10**30, 1e30 or a tenth of a cent: 400 with a reason, and
    nothing booked."""
    response = post_kofi(client, kofi_data(amount=amount))
    assert response.status_code == 400 and b"amount" in response.content
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("amount", "currency", "booked"),
    [(3.1, "USD", "3.10"), ("12.500", "USD", "12.50"), ("500", "JPY", "500.00")],
)
def test_kofi_amounts_are_kept_to_the_cent(client, amount, currency, booked):
    """JSON numbers keep their written value; trailing zeros are not extra precision."""
    assert post_kofi(client, kofi_data(amount=amount, currency=currency)).status_code == 200
    assert Donation.objects.get().amount == Decimal(booked)


def test_kofi_amount_below_the_currencys_smallest_unit_gets_400(client):
    """Yen have no cents: 100.5 JPY cannot have been paid."""
    response = post_kofi(client, kofi_data(amount="100.5", currency="JPY"))
    assert response.status_code == 400 and b"JPY" in response.content
    assert not Donation.objects.exists()


def test_kofi_shop_orders_are_not_gifts(client):
    assert post_kofi(client, kofi_data(type="Shop Order")).status_code == 200
    assert not Donation.objects.exists()


def patreon_body(charge_date="2025-03-01T10:00:00.000+00:00", status="Paid", cents=500):
    return {
        "data": {
            "type": "member",
            "id": "8c3b-member",
            "attributes": {
                "currently_entitled_amount_cents": cents,
                "full_name": "Pat Reader",
                "email": "pat@example.org",
                "last_charge_date": charge_date,
                "last_charge_status": status,
                "patron_status": "active_patron",
            },
        },
        "included": [{"type": "campaign", "id": "123", "attributes": {"currency": "EUR"}}],
    }


def post_patreon(client, body, *, event="members:pledge:create", secret=PATREON_SECRET):
    raw = json.dumps(body).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.md5).hexdigest()
    return client.post(
        "/funding/webhooks/patreon/",
        raw,
        content_type="application/json",
        headers={"X-Patreon-Signature": signature, "X-Patreon-Event": event},
    )


def test_patreon_paid_pledge_counts_once_per_charge(client):
    assert post_patreon(client, patreon_body()).status_code == 200
    assert post_patreon(client, patreon_body(), event="members:pledge:update").status_code == 200
    post_patreon(client, patreon_body(charge_date="2025-04-01T10:00:00.000+00:00"))
    donations = Donation.objects.order_by("received_at")
    assert [(d.amount, d.currency) for d in donations] == [
        (Decimal("5.00"), "EUR"),
        (Decimal("5.00"), "EUR"),
    ]


@pytest.mark.parametrize("cents", [10**32, 1e32, 0.1], ids=["10**30", "1e30", "0.001"])
def test_patreon_amounts_the_ledger_cannot_hold_get_400(client, cents):
    """A signed pledge of 10**30, 1e30 or a tenth of a cent is refused with 400 and a
    reason, and nothing is booked."""
    response = post_patreon(client, patreon_body(cents=cents))
    assert response.status_code == 400 and b"amount" in response.content
    assert not Donation.objects.exists()


def test_patreon_signature_with_other_characters_gets_400(client):
    """An X-Patreon-Signature that is not ASCII is a wrong signature, not a 500."""
    response = client.post(
        "/funding/webhooks/patreon/",
        json.dumps(patreon_body()),
        content_type="application/json",
        headers={"X-Patreon-Signature": "\u00e9" * 32, "X-Patreon-Event": "members:pledge:create"},
    )
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_patreon_declined_charges_and_deleted_pledges_record_nothing(client):
    post_patreon(client, patreon_body(status="Declined"))
    post_patreon(client, patreon_body(), event="members:pledge:delete")
    assert not Donation.objects.exists()


def test_patreon_bad_signature_or_body_gets_400(client):
    assert post_patreon(client, patreon_body(), secret="other").status_code == 400
    raw = b"not json"
    signature = hmac.new(PATREON_SECRET.encode(), raw, hashlib.md5).hexdigest()
    response = client.post(
        "/funding/webhooks/patreon/",
        raw,
        content_type="application/json",
        headers={"X-Patreon-Signature": signature, "X-Patreon-Event": "members:pledge:create"},
    )
    assert response.status_code == 400
    assert not Donation.objects.exists()
