"""Editors enter and correct gifts by hand; history says who changed what."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import ModelLogEntry

from rostra.funding.models import Channel, Donation

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/funding/donation/add/"


@pytest.fixture(autouse=True)
def channels(db):
    """The outlet's ways to give, as configured under Funding → Channels."""
    Channel.objects.create(kind="bank", label="Bank transfer to the Herald", value="IBAN …")
    Channel.objects.create(kind="link", label="Donate page", value="https://example.org/give")
    Channel.objects.create(kind="kofi", label="Old", value="https://ko-fi.com/x", enabled=False)


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
    response = editor.post(url, form(amount="105.00", channel="cash"))
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


def test_the_form_offers_the_outlets_channels_now_and_explains_the_wall(editor, campaign):
    """A new gift's form lists the outlet's enabled channels by their names plus "Cash or
    cheque", says "received at" now (in TIME_ZONE), the campaign's currency, an optional
    reference, and what the supporters-wall checkbox does."""
    html = editor.get(ADD_URL).content.decode()
    select = html[html.index('name="channel"') :]
    select = select[: select.index("</select>")]
    options = re.findall(r'<option value="(\w*)"[^>]*>([^<]*)</option>', select)
    assert [o for o in options if o[0]] == [
        ("bank", "Bank transfer to the Herald"),
        ("link", "Donate page"),
        ("cash", "Cash or cheque"),
    ]
    now = timezone.localtime()
    received = re.search(r'name="received_at"[^>]*value="([^"]*)"', html)
    assert received and received.group(1).startswith(now.strftime("%Y-%m-%d")), received
    assert re.search(r'name="currency"[^>]*value="USD"', html)
    assert not re.search(r'name="external_reference"[^>]*required', html)
    assert "supporters wall" in html and "Keep off the supporters wall" in html


def test_a_gift_without_a_reference_gets_a_readable_one(editor, campaign):
    """Cash has no reference: the gift gets "manual-<day received>-<6 hex digits>", and a
    second one the same day another."""
    editor.post(ADD_URL, form(channel="cash", external_reference=""))
    response = editor.post(ADD_URL, form(channel="cash", external_reference="", amount="20"))
    assert response.status_code == 302, response.content.decode()[-2000:]
    references = sorted(Donation.objects.values_list("external_reference", flat=True))
    assert len(set(references)) == 2
    assert all(re.fullmatch(r"manual-20250320-[0-9a-f]{6}", r) for r in references), references
    assert set(Donation.objects.values_list("channel", flat=True)) == {"cash"}


def test_the_rate_is_one_for_the_campaign_currency(editor, campaign):
    """Left empty, the rate of a gift in the campaign's currency is 1: it counts."""
    editor.post(ADD_URL, form(rate_to_campaign=""))
    assert Donation.objects.get().rate_to_campaign == Decimal(1)


def test_a_foreign_gift_without_a_rate_is_refused_with_the_input_kept(editor, campaign):
    """A gift in another currency with no rate given (and none recorded) would never
    count: the form says so next to the rate and keeps what was typed; nothing saved."""
    response = editor.post(ADD_URL, form(currency="EUR", rate_to_campaign=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the exchange rate: what one EUR was worth in USD" in page
    assert "Harbour Bakery" in page and "TRANSFER-2025-031" in page
    assert not Donation.objects.exists()


def test_a_foreign_gift_is_counted_at_the_rate_given(editor, campaign):
    """The editor's rate is the one recorded."""
    response = editor.post(ADD_URL, form(currency="EUR", rate_to_campaign="1.08"))
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.currency, donation.rate_to_campaign) == ("EUR", Decimal("1.08"))
