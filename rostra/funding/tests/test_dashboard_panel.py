"""The newsroom's funding panel on the Wagtail dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from rostra.funding import services
from rostra.funding.admin_dashboard import FundingPanel
from rostra.funding.models import Channel
from rostra.funding.services import DonationEvent
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def give(reference, amount, *, channel="paypal", hours_ago=1, article_id=None):
    services.donation_record(
        DonationEvent(
            channel, reference, Decimal(amount), "USD", "confirmed",
            timezone.now() - timedelta(hours=hours_ago), article_id=article_id,
        ),
        campaign_currency="USD",
    )  # fmt: skip


def test_dashboard_shows_goal_progress_the_latest_five_gifts_and_the_report(
    editor, campaign, section
):
    """The panel is a section headed "Funding" with the goal bar's sentence, the five
    newest gifts (amount in the locale's money, the outlet's channel name, when, the
    article it came from) and a link to the funding report."""
    Channel.objects.create(kind="link", label="Donate page", value="https://example.org/give")
    article = make_article(section, "Flood defences fail downstream")
    give("oldest", "999", hours_ago=10)
    for n in range(4):
        give(f"pp-{n}", "10", hours_ago=5 - n)
    give("newest", "12.50", channel="link", hours_ago=0, article_id=article.pk)
    html = editor.get("/admin/").content.decode()
    panel = html[html.index('id="funding-section"') :]
    panel = panel[: panel.index("</section>")]
    assert "Funding</span>" in panel or ">Funding<" in panel
    assert "$1,051.50 raised of $5,000 this month · 6 supporters" in panel
    assert panel.count("<li") == 5, "five gifts"
    assert "$999" not in panel, "only the latest five"
    assert "<strong>$12.50</strong></a>\n            via Donate page," in panel
    assert "from “Flood defences fail downstream”" in panel
    assert "Any other link" not in panel
    assert 'href="/admin/funding/report/"' in panel


def test_dashboard_without_a_campaign_says_how_to_set_one(editor):
    """Between campaigns the panel says none is running and links to the campaigns."""
    html = editor.get("/admin/").content.decode()
    assert "No campaign is running" in html and "No confirmed gifts yet." in html


def test_the_panel_reads_the_ledger_in_three_queries(campaign, django_assert_num_queries):
    """The active campaign, its progress, and the latest gifts with their channel names
    and articles: three queries however many gifts and channels there are."""
    Channel.objects.create(kind="paypal", label="PayPal", value="pay@example.org")
    for n in range(8):
        give(f"g-{n}", "5", channel=["paypal", "kofi"][n % 2])
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    with django_assert_num_queries(3):
        html = FundingPanel().render_html({"request": request})
    assert html.count("via PayPal,") + html.count("via Ko-fi,") == 5
