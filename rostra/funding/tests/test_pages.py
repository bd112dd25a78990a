"""The goal bar and support blocks appear where the reference page has them."""

from decimal import Decimal

import pytest
from django.utils import timezone

from rostra.funding.demo import demo_funding_load
from rostra.funding.models import FundingSettings
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(home):
    demo_funding_load()
    return home


def test_article_has_the_bar_above_the_headline_and_support_blocks_around_the_body(
    client, funded, section
):
    article = make_article(section, "Harbour news", text="Body text here.")
    html = client.get(article.url).content.decode()
    month = timezone.localdate().strftime("%B %Y").upper()
    bar = html.index('class="goal-bar"')
    assert bar < html.index('id="article-headline"')
    assert (
        'role="progressbar" aria-valuemin="0" aria-valuemax="5000.00" aria-valuenow="190.00"'
        in html
    )
    for text in ("$0", "$2,500", "$5,000", "$190", month):
        assert text in html[bar : bar + 2000]
    before, after = html.index('id="support-before"'), html.index('id="support-after"')
    assert before < html.index("Body text here.") < after
    # The address is shown once in each block, before and after the body.
    assert html.count(">bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4</code>") == 2
    assert "<svg" in html and "bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" in html


def test_editors_can_switch_the_bar_and_blocks_off(client, funded, section):
    FundingSettings.objects.update_or_create(
        site_id=funded.get_site().pk,
        defaults={"show_goal_bar": False, "show_support_blocks": False},
    )
    article = make_article(section, "Quiet page")
    html = client.get(article.url).content.decode()
    assert 'class="goal-bar"' not in html and 'class="support"' not in html


def test_home_page_shows_the_bar(client, funded, section):
    make_article(section, "Anything")
    assert 'role="progressbar"' in client.get("/").content.decode()


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
