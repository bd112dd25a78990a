"""The goal bar and support blocks appear where the reference page has them."""

import re
from decimal import Decimal

import pytest
from wagtail.log_actions import log

from rostra.funding.demo import demo_funding_load
from rostra.funding.models import FundingSettings
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(home):
    demo_funding_load()
    return home


def test_article_has_a_slim_banner_above_and_the_full_ask_after_the_body(client, funded, section):
    """Story first: above the headline one line (the goal sentence and "Support us"),
    nothing between the cover and the body, the full ask after the body."""
    article = make_article(section, "Harbour news", text="Body text here.")
    html = client.get(article.url).content.decode()
    banner = html.index('class="funding-banner"')
    assert banner < html.index('id="article-headline"')
    assert "$190 raised of $5,000 this month · 4 supporters" in html[banner : banner + 600]
    assert f"/support/?position=banner&amp;article={article.pk}" in html[banner : banner + 600]
    assert 'id="support-before"' not in html
    assert html.index("Body text here.") < html.index('id="support-after"')
    # The address is shown once, in the ask after the body.
    assert html.count(">bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4</code>") == 1
    assert "<svg" in html and "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" in html


def _switch(funded, **values):
    """Saved and logged, as the settings form does (the log moves every page's version)."""
    saved, _ = FundingSettings.objects.update_or_create(
        site_id=funded.get_site().pk, defaults=values
    )
    log(instance=saved, action="wagtail.edit")


def test_the_banner_and_the_ask_after_the_body_have_a_switch_each(client, funded, section):
    """Editors switch the banner above and the ask after the body separately."""
    article = make_article(section, "Quiet page")
    _switch(funded, show_banner=False)
    html = client.get(article.url).content.decode()
    assert 'class="funding-banner"' not in html and 'id="support-after"' in html
    _switch(funded, show_banner=True, show_end_ask=False)
    html = client.get(article.url).content.decode()
    assert 'class="funding-banner"' in html and 'id="support-after"' not in html


def test_an_article_or_its_section_can_opt_out_of_every_ask(client, funded, section):
    """An article (or every article of a section) with "show funding asks" unticked has
    neither the banner nor the ask."""
    article = make_article(section, "No asks here")
    article.funding_asks = False
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert 'class="funding-banner"' not in html and 'class="support"' not in html
    other = make_article(section, "Nor here")
    section.funding_asks = False
    section.save_revision().publish()
    html = client.get(other.url).content.decode()
    assert 'class="funding-banner"' not in html and 'class="support"' not in html


def test_home_page_shows_the_banner(client, funded, section):
    make_article(section, "Anything")
    assert 'class="funding-banner"' in client.get("/").content.decode()


def test_support_page_lists_channels_with_qr_codes_and_the_supporters_wall(client, funded):
    html = client.get("/support/").content.decode()
    assert "<h1>Support Rostra</h1>" in html
    assert html.count('class="qr"') == 3
    assert "ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" in html
    assert "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy" in html
    assert "Mill Street Residents" in html and "Keep asking the awkward questions." in html


def test_money_follows_the_site_locale(settings, campaign):
    from rostra.funding.money import format_money

    settings.ROSTRA_LOCALE = "de_DE"
    assert format_money(Decimal("2500"), "USD") == "2.500\xa0$"
    settings.ROSTRA_LOCALE = "en_US"
    assert format_money(Decimal("12.5"), "EUR") == "€12.50"


@pytest.fixture
def card_configured(settings, funded):
    settings.STRIPE_SECRET_KEY = "sk_test_rostra"
    return funded


def test_the_ask_offers_preset_amounts_once_or_monthly_and_one_card_button(
    client, card_configured, section, settings
):
    """After the body: the editor's headline and text, the goal sentence, the preset
    amounts in the site's locale, monthly preselected when the editor says so, one
    primary button, and the other ways to give behind a <details> disclosure."""
    _switch(card_configured, amount_presets="10, 25, 2500", monthly_preselected=True)
    settings.ROSTRA_LOCALE = "de_DE"
    article = make_article(section, "Ask page")
    html = client.get(article.url).content.decode()
    ask = html[
        html.index('id="support-after"') : html.index("</aside>", html.index("support-after"))
    ]
    assert "We are funded by our readers" in ask
    assert 'aria-label="Funding goal, ' in ask and "raised of 5.000\xa0$ this month" in ask
    assert re.findall(r'name="amount" value="([^"]+)"', ask) == ["10", "25", "2500"]
    assert ">2.500\xa0$</span>" in ask
    assert 'name="frequency" value="monthly" checked' in ask
    assert ask.count('type="submit"') == 1 and "Give by card</button>" in ask
    others = ask[ask.index('<details class="ask__others">') :]
    assert "<summary>Other ways to give</summary>" in others
    assert "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" in others
    assert 'class="channel channel--card"' not in ask


def test_card_giving_is_offered_only_when_stripe_is_configured(
    client, funded, section, settings, django_user_model
):
    """Without a Stripe key readers see no card form anywhere; staff see on /support/
    how to turn it on."""
    settings.STRIPE_SECRET_KEY = ""
    article = make_article(section, "No card")
    for html in (
        client.get(article.url).content.decode(),
        client.get("/support/").content.decode(),
    ):
        assert "Give by card" not in html and "/support/card/" not in html
        assert "ROSTRA_STRIPE_SECRET_KEY" not in html
    client.force_login(django_user_model.objects.create_superuser("ed", "e@example.org", "pw"))
    assert "ROSTRA_STRIPE_SECRET_KEY" in client.get("/support/").content.decode()


def test_a_card_gift_posted_without_a_form_token_comes_back_on_the_support_page(
    card_configured,
):
    """Without JavaScript the cached article's ask has an empty token: the reader gets
    /support/'s card form with their amount and frequency, and a token to send again."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/support/card/",
        {"amount": "25", "frequency": "monthly", "position": "article_end"},
        HTTP_ORIGIN="http://testserver",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="card-amount" name="amount"' in html and 'value="25"' in html
    assert 'name="frequency" value="monthly" checked' in html
    assert 'name="position" value="article_end"' in html
    assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', html)
