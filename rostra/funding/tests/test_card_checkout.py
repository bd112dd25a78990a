"""Card gifts start a Stripe Checkout session, within limits and rate limits."""

import pytest
from django.core.cache import cache

from rostra.funding.models import Channel
from rostra.funding.services import CheckoutRefused, CheckoutRequest, checkout_start
from rostra.funding.testing import FakeStripe

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_api(settings, campaign, home):
    Channel.objects.create(kind="card", label="Card", value="Stripe Checkout")
    cache.clear()
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_rostra"
        settings.STRIPE_API_BASE = fake.url
        yield fake


def test_one_off_gift_sends_the_reader_to_a_test_mode_checkout(client, stripe_api):
    response = client.post(
        "/support/card/",
        {"amount": "25", "frequency": "once", "public_name": "yes", "message": "Hi"},
    )
    assert response.status_code == 303
    assert response["Location"] == f"{stripe_api.url}/c/pay/cs_test_1"
    sent = stripe_api.requests[0]
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["auth"] == "Bearer sk_test_rostra"
    form = sent["form"]
    assert form["mode"] == "payment" and form["submit_type"] == "donate"
    assert form["line_items[0][price_data][unit_amount]"] == "2500"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["metadata[public_name]"] == "yes" and form["metadata[message]"] == "Hi"


def test_monthly_gift_starts_a_subscription(client, stripe_api):
    client.post("/support/card/", {"amount": "10.50", "frequency": "monthly"})
    form = stripe_api.requests[0]["form"]
    assert form["mode"] == "subscription"
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["line_items[0][price_data][unit_amount]"] == "1050"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1", "The smallest card gift is 2.00"),
        ("999999", "The largest card gift"),
        ("ten", "as a number"),
    ],
)
def test_amounts_outside_the_limits_are_refused_and_kept(client, stripe_api, amount, message):
    response = client.post("/support/card/", {"amount": amount, "frequency": "once"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'value="{amount}"' in html
    assert stripe_api.requests == []


def test_card_testing_bursts_are_rate_limited_per_address(client, stripe_api, settings):
    settings.CARD_CHECKOUT_RATE_LIMIT = (2, 600)
    for _ in range(2):
        assert client.post("/support/card/", {"amount": "5"}).status_code == 303
    response = client.post("/support/card/", {"amount": "5"})
    assert response.status_code == 429
    assert "Too many card payments" in response.content.decode()
    assert len(stripe_api.requests) == 2


def test_refusals_carry_their_status_whatever_language_their_words_are_in(stripe_api, settings):
    """The page answers 429 because the rate-limit refusal says so (`status`), not
    because its text starts "Too many": the text is in the site's language."""
    settings.CARD_CHECKOUT_RATE_LIMIT = (1, 600)
    gift = CheckoutRequest(amount="5", currency="USD", monthly=False, public_name=False,
                           message="", ip_hash="one-connection")  # fmt: skip
    limits = {"minimum": 2, "maximum": 5000}
    checkout_start(gift, **limits)
    with pytest.raises(CheckoutRefused) as limited:
        checkout_start(gift, **limits)
    assert limited.value.status == 429
    with pytest.raises(CheckoutRefused) as too_small:
        checkout_start(CheckoutRequest(**{**gift.__dict__, "amount": "1"}), **limits)
    assert too_small.value.status == 400


def test_without_stripe_keys_card_gifts_say_so(client, campaign, home, settings):
    Channel.objects.create(kind="card", label="Card", value="Stripe Checkout")
    settings.STRIPE_SECRET_KEY = ""
    response = client.post("/support/card/", {"amount": "25"})
    assert response.status_code == 400
    assert "Card gifts are not set up yet" in response.content.decode()


def test_a_refused_card_gift_is_shown_at_the_card_form(client, stripe_api):
    """The card form posts to an address ending in #card: without JavaScript the page
    that answers a refusal opens at the form, where the reason and the amount are."""
    page = client.get("/support/").content.decode()
    assert 'action="/support/card/#card"' in page
    html = client.post("/support/card/", {"amount": "1", "frequency": "once"}).content.decode()
    form = html[html.index('id="card"') :]
    assert 'role="alert" id="card-error"' in form and 'value="1"' in form
