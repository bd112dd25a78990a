"""Editors see totals per month and channel, as a chart and as CSV."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from rostra.funding import services
from rostra.funding.demo import demo_funding_load
from rostra.funding.models import Channel
from rostra.funding.services import DonationEvent
from rostra.funding.views.report import bar_chart_svg, month_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def record(reference, amount, channel="paypal", status="confirmed"):
    services.donation_record(
        DonationEvent(channel, reference, Decimal(amount), "USD", status, timezone.now()),
        campaign_currency="USD",
    )


def test_report_shows_totals_per_channel_and_a_chart(editor, campaign):
    record("a", "10")
    record("b", "15.50", channel="kofi")
    record("c", "99", status="refunded")
    html = editor.get("/admin/funding/report/").content.decode()
    assert "<strong>$25.50</strong>" in html
    assert '<svg class="funding-chart"' in html and "<rect" in html
    assert "Ko-fi" in html and "$15.50" in html


def test_report_exports_csv(editor, campaign):
    record("a", "10")
    record("b", "5")
    response = editor.get("/admin/funding/report/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["month", "channel", "total_usd", "gifts"]
    assert rows[1][1:] == ["paypal", "15.00", "2"]
    assert rows[1][0] == timezone.localdate().strftime("%Y-%m")


def test_readers_cannot_see_the_report(client, campaign):
    response = client.get("/admin/funding/report/")
    assert response.status_code == 302


def test_chart_labels_are_escaped():
    svg = bar_chart_svg([("<b>", Decimal(1), "<i>")])
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_report_names_channels_as_the_outlet_does(editor, campaign):
    """Gifts are labelled with the outlet's own channel names (Funding → Channels), the
    enabled channel first; kinds the outlet has not named keep their description."""
    Channel.objects.create(kind="link", label="Old page", value="https://a.example", enabled=False)
    Channel.objects.create(kind="link", label="Donate page", value="https://b.example")
    record("a", "10", channel="link")
    record("b", "4", channel="cash")
    html = editor.get("/admin/funding/report/").content.decode()
    assert "<td>Donate page</td>" in html and "<td>Cash or cheque</td>" in html
    assert "Any other link" not in html and "Old page" not in html


def test_the_demos_gifts_show_sensible_channel_names(editor, home):
    """The demo's gifts are booked on its own channels (and one in cash), never as
    "Any other link"."""
    demo_funding_load()
    html = editor.get("/admin/funding/report/").content.decode()
    for name in ("PayPal", "Donate page", "Patreon", "Cash or cheque"):
        assert f"<td>{name}</td>" in html
    assert "Any other link" not in html


def test_chart_months_are_named_in_the_active_language():
    """A bar's month uses Django's month names, not strftime's English: "Mar 25" in
    English, "Mär 25" in German."""
    assert month_label(date(2025, 3, 1)) == "Mar 25"
    with translation.override("de"):
        assert month_label(date(2025, 3, 1)) == "Mär 25"
