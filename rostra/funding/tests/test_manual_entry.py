"""Editors enter and correct gifts by hand; history says who changed what."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from rostra.funding.models import Donation

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/funding/donation/add/"


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("treasurer", "t@example.org", "pw")
    client.force_login(user)
    return client


def form(**changes):
    data = {
        "channel": "bank",
        "external_reference": "TRANSFER-2025-031",
        "amount": "150.00",
        "currency": "USD",
        "status": "confirmed",
        "received_at": "2025-03-20 10:00",
        "rate_to_campaign": "",
        "donor_name": "Harbour Bakery",
        "is_anonymous": "",
        "message": "",
        "email": "",
    }
    return {**data, **changes}


def test_manual_entry_is_recorded_and_logged(editor, campaign):
    response = editor.post(ADD_URL, form())
    assert response.status_code == 302, response.content.decode()[-2000:]
    donation = Donation.objects.get()
    assert (donation.amount, donation.rate_to_campaign) == (Decimal("150.00"), Decimal(1))
    entry = ModelLogEntry.objects.get(action="wagtail.create")
    assert entry.user.username == "treasurer"


def test_the_same_reference_cannot_be_entered_twice(editor, campaign):
    editor.post(ADD_URL, form())
    response = editor.post(ADD_URL, form(amount="10"))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Donation.objects.count() == 1


def test_corrections_record_old_and_new_values(editor, campaign):
    editor.post(ADD_URL, form())
    donation = Donation.objects.get()
    url = f"/admin/snippets/funding/donation/edit/{donation.pk}/"
    response = editor.post(url, form(amount="105.00", channel="paypal"))
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.amount == Decimal("105.00")
    assert donation.channel == "bank", "the channel and reference identify the gift"
    entry = ModelLogEntry.objects.get(action="wagtail.edit")
    assert entry.data["changes"]["amount"] == ["150.00", "105.00"]
    assert entry.user.username == "treasurer"


@pytest.mark.parametrize(("amount", "currency"), [("0", "USD"), ("-5", "USD"), ("100.50", "JPY")])
def test_manual_entry_refuses_amounts_the_ledger_cannot_hold(editor, campaign, amount, currency):
    """The form answers with the same amount rule as webhooks and keeps what was typed."""
    response = editor.post(ADD_URL, form(amount=amount, currency=currency))
    assert response.status_code == 200
    page = response.content.decode()
    assert "amount" in page.lower() and "Harbour Bakery" in page
    assert not Donation.objects.exists()


@pytest.mark.parametrize(("amount", "currency"), [("0", "USD"), ("-5", "USD"), ("100.50", "JPY")])
def test_corrections_refuse_amounts_the_ledger_cannot_hold(editor, campaign, amount, currency):
    """A correction to zero, a negative amount or a fraction of a yen is refused with the
    form shown again, not a 500, and the gift keeps its amount."""
    editor.post(ADD_URL, form())
    donation = Donation.objects.get()
    url = f"/admin/snippets/funding/donation/edit/{donation.pk}/"
    response = editor.post(url, form(amount=amount, currency=currency))
    assert response.status_code == 200
    donation.refresh_from_db()
    assert (donation.amount, donation.currency) == (Decimal("150.00"), "USD")
