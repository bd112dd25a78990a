"""An editor sets up the reference page's goal bar and support block in the admin."""

import pytest
from django.contrib.auth import get_user_model

from rostra.funding.models import Campaign, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def test_editor_creates_a_monthly_goal_and_channels(editor, home):
    response = editor.post(
        "/admin/snippets/funding/campaign/add/",
        {"title": "March", "period": "monthly", "goal": "5000", "currency": "USD",
         "milestones": "", "starts_on": "2025-03-01", "ends_on": "", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Campaign.objects.get().tick_amounts()[1] == 2500

    url = "/admin/snippets/funding/channel/add/"
    typo = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz"  # a P2SH address with its last letter changed
    wrong = editor.post(
        url, {"kind": "btc", "label": "BTC", "value": typo, "enabled": "on", "sort_order": "1"}
    )
    assert wrong.status_code == 200
    assert "checksum does not match" in wrong.content.decode()
    assert not Channel.objects.exists()

    cashaddr = "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy"
    right = editor.post(
        url, {"kind": "bch", "label": "BCH", "value": cashaddr, "enabled": "on", "sort_order": "2"}
    )
    assert right.status_code == 302
    assert Channel.objects.get().value == cashaddr


def test_one_off_campaign_needs_its_last_day(editor):
    response = editor.post(
        "/admin/snippets/funding/campaign/add/",
        {"title": "Press", "period": "one_off", "goal": "100", "currency": "USD",
         "starts_on": "2025-03-01", "ends_on": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A one-off campaign needs a last day." in response.content.decode()
