"""Gifts are credited to the article and the ask that brought them, first-party: the ask
links carry the article and position to the card form, the checkout hands them to
Stripe as metadata, the webhook brings them back; the report sums them. Unknown values
are recorded as none, never an error."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from rostra.funding import services
from rostra.funding.models import Channel, Donation
from rostra.funding.services import DonationEvent
from rostra.funding.testing import FakeStripe
from rostra.funding.tests.test_stripe_webhook import CHECKOUT_PAID, event, send
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(section):
    return make_article(section, "Flood defences fail downstream")


@pytest.fixture
def stripe_api(settings, campaign, home):
    Channel.objects.create(kind="card", label="Card", value="Stripe Checkout")
    cache.clear()
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_rostra"
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_rostra"
        settings.STRIPE_API_BASE = fake.url
        yield fake


def ask_link(html: str, marker: str) -> str:
    """The card link of the ask whose markup follows `marker`."""
    start = html.index(marker)
    return re.search(r'href="(/support/\?[^"]*)"', html[start:]).group(1).replace("&amp;", "&")


def give_through(client, stripe_api, link: str, reference: str):
    """Follow the ask's link to the card form, submit it with the hidden fields it has,
    then let Stripe's webhook report the payment with the metadata it was given."""
    form_page = client.get(link).content.decode()
    hidden = dict(
        re.findall(r'<input type="hidden" name="(article|position)" value="([^"]*)"', form_page)
    )
    assert client.post("/support/card/", {"amount": "20", **hidden}).status_code == 303
    metadata = {
        k.removeprefix("metadata[").removesuffix("]"): v
        for k, v in stripe_api.requests[-1]["form"].items()
        if k.startswith("metadata[")
    }
    paid = {
        **CHECKOUT_PAID,
        "payment_intent": reference,
        "amount_total": 2000,
        "metadata": metadata,
    }
    assert send(client, event("checkout.session.completed", paid)).status_code == 200
    return Donation.objects.get(external_reference=reference)


def test_each_position_is_credited_to_the_article_and_shown_in_the_report(
    client, stripe_api, article
):
    """End of article, the banner above it, and /support/ itself: each gift carries its
    article (none for /support/) and position into the report."""
    html = client.get(article.url).content.decode()
    links = {
        "article_end": ask_link(html, 'id="support-after"'),
        "banner": ask_link(html, 'class="funding-banner"'),
        "support_page": "/support/",
    }
    for position, link in links.items():
        donation = give_through(client, stripe_api, link, f"pi_{position}")
        expected_article = None if position == "support_page" else article.pk
        assert (donation.position, donation.article_id) == (position, expected_article)
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    report = client.get("/admin/funding/report/").content.decode()
    assert "Gifts by article" in report and "Flood defences fail downstream" in report
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/admin/funding/report/?format=csv&table=articles").content.decode()
            )
        )
    )
    assert rows == [
        ["article", "title", "total_usd", "gifts"],
        [str(article.pk), "Flood defences fail downstream", "40.00", "2"],
    ]
    positions = client.get("/admin/funding/report/?format=csv&table=positions").content.decode()
    by_position = {row[0]: row[2:] for row in csv.reader(io.StringIO(positions))}
    for position in links:
        assert by_position[position] == ["20.00", "1"]
    assert by_position["comment_bubble"] == ["0.00", "0"]


def test_the_ask_after_the_body_gives_by_card_in_one_post_with_its_attribution(
    client, stripe_api, article
):
    """The end-of-article ask posts its chosen chip and frequency straight to the
    checkout, with the article and the position as hidden fields."""
    html = client.get(article.url).content.decode()
    ask = html[html.index('id="support-after"') :]
    form = ask[: ask.index("</form>")]
    hidden = dict(re.findall(r'type="hidden" name="(article|position)" value="([^"]*)"', form))
    checked = dict(re.findall(r'name="(amount|frequency)" value="([^"]*)" checked', form))
    assert checked == {"frequency": "once", "amount": "25"}
    response = client.post("/support/card/", {**hidden, **checked})
    assert response.status_code == 303
    sent = stripe_api.requests[-1]["form"]
    assert sent["metadata[article]"] == str(article.pk)
    assert sent["metadata[position]"] == "article_end"
    assert sent["line_items[0][price_data][unit_amount]"] == "2500"


def test_a_monthly_gift_credits_every_invoice_to_its_article(client, stripe_api, article):
    client.post(
        "/support/card/",
        {"amount": "10", "frequency": "monthly", "article": article.pk, "position": "article_end"},
    )
    form = stripe_api.requests[-1]["form"]
    assert form["subscription_data[metadata][article]"] == str(article.pk)
    assert form["subscription_data[metadata][position]"] == "article_end"
    metadata = {"article": str(article.pk), "position": "article_end"}
    invoice = {
        "id": "in_1", "object": "invoice", "amount_paid": 1000, "currency": "usd",
        "payment_intent": "pi_month1", "customer_email": "bea@example.org",
        "customer": "cus_1", "subscription": "sub_1",
        "subscription_details": {"metadata": metadata},
    }  # fmt: skip
    assert send(client, event("invoice.paid", invoice, "evt_2")).status_code == 200
    donation = Donation.objects.get()
    assert (donation.article_id, donation.position, donation.recurring.reference) == (
        article.pk,
        "article_end",
        "sub_1",
    )


@pytest.mark.parametrize(
    ("article_value", "position"),
    [("999999", "sidebar"), ("<script>", "banner'"), ("1e3", ""), ("-1", "x" * 500)],
)
def test_unknown_articles_and_positions_are_recorded_as_none(
    client, stripe_api, article_value, position
):
    """The form and the webhook's metadata can carry anything: the gift is booked, with
    no article and no position, and the checkout leaves them out of Stripe's metadata."""
    response = client.post(
        "/support/card/", {"amount": "20", "article": article_value, "position": position}
    )
    assert response.status_code == 303
    assert not any(
        key in stripe_api.requests[-1]["form"]
        for key in ("metadata[article]", "metadata[position]")
    )
    paid = {**CHECKOUT_PAID, "metadata": {"article": article_value, "position": position}}
    assert send(client, event("checkout.session.completed", paid)).status_code == 200
    donation = Donation.objects.get()
    assert (donation.article_id, donation.position) == (None, "")


def test_the_support_page_form_keeps_a_known_ask_and_drops_an_unknown_one(
    client, stripe_api, article
):
    page = client.get(f"/support/?article={article.pk}&position=banner").content.decode()
    assert f'name="article" value="{article.pk}"' in page and 'value="banner"' in page
    page = client.get("/support/?article=abc&position=nowhere").content.decode()
    assert 'name="article" value=""' in page and 'name="position" value="support_page"' in page


def test_gifts_recorded_by_other_ways_can_carry_an_ask(campaign, article):
    donation, _ = services.donation_record(
        DonationEvent(
            "paypal", "pp_1", Decimal("5"), "USD", "confirmed", timezone.now(),
            article_id=article.pk, position="comment_bubble",
        ),
        campaign_currency="USD",
    )  # fmt: skip
    assert (donation.article_id, donation.position) == (article.pk, "comment_bubble")
