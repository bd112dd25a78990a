"""Donors manage their own support: a link by e-mail (same answer for any address,
rate-limited), signed, expiring and good for one opening; a page with gifts, receipts
and a year-end summary; cancelling a Stripe monthly gift and opening Stripe's customer
portal (against the local Stripe stand-in); the wall opt-in."""

import re
import time
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rostra.funding import selectors, services
from rostra.funding.manage_links import MANAGE_LINK_SALT, manage_link_token
from rostra.funding.models import Donor, RecurringGift
from rostra.funding.services import DonationEvent
from rostra.funding.testing import FakeStripe

pytestmark = pytest.mark.django_db

SAME_ANSWER = "If this address is on one of our donor records"


def gift(reference, email="ana@example.org", *, at=None, amount="10", **more):
    donation, _ = services.donation_record(
        DonationEvent(
            "card", reference, Decimal(amount), "USD", "confirmed", at or timezone.now(),
            email=email, donor_name="Ana", **more,
        ),
        campaign_currency="USD",
    )  # fmt: skip
    return donation


def ask(client, email, callbacks):
    with callbacks(execute=True):
        return client.post("/support/manage/", {"email": email})


def link_in(message) -> str:
    return re.search(r"http://\S+/support/manage/open/\S+/", message.body).group(0)


def open_page(client, donor):
    """Open a fresh manage link the way the donor does: the link, then the button."""
    path = f"/support/manage/open/{manage_link_token(donor)}/"
    assert client.get(path).status_code == 200
    return client.post(path)


def test_a_known_address_gets_a_link_and_an_unknown_one_the_same_answer(
    client, campaign, django_capture_on_commit_callbacks
):
    """The answer does not tell whether the address gave; the link goes to the address
    on the donor's record (a +tag typed or not)."""
    gift("pi_1", "Ana@Example.org")
    mail.outbox.clear()
    known = ask(client, "ana+x@example.org", django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.content.decode() and SAME_ANSWER in unknown.content.decode()
    (message,) = mail.outbox
    assert message.to == ["Ana@Example.org"]
    assert "/support/manage/open/" in message.body


def test_asking_is_rate_limited_per_connection_and_per_address(
    client, campaign, settings, django_capture_on_commit_callbacks
):
    settings.MANAGE_LINK_RATE_LIMIT = (4, 3600)
    gift("pi_1")
    mail.outbox.clear()
    for _ in range(4):
        assert ask(client, "ana@example.org", django_capture_on_commit_callbacks).status_code == 200
    assert len(mail.outbox) == 3, "an address gets at most 3 links an hour, silently"
    refused = ask(client, "ana@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429 and "Too many links" in refused.content.decode()


@pytest.mark.parametrize("email", ["", "not an address", "a@" + "b" * 300 + ".org"])
def test_a_bad_address_is_refused_with_a_clear_message(client, campaign, email):
    response = client.post("/support/manage/", {"email": email})
    assert response.status_code == 400
    assert "e-mail address" in response.content.decode() and not mail.outbox
    if email == "not an address":
        said = "Please enter the e-mail address you gave your support with."
        assert said in response.content.decode()


def test_the_link_opens_the_page_once_and_not_on_a_plain_fetch(
    client, campaign, django_capture_on_commit_callbacks
):
    """Fetching the link (as a mail scanner does) does not spend it; opening it does,
    and a second opening is refused with 410."""
    gift("pi_1")
    ask(client, "ana@example.org", django_capture_on_commit_callbacks)
    path = urlsplit(link_in(mail.outbox[-1])).path
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    opened = client.post(path)
    assert opened.status_code == 302 and opened["Location"] == "/support/manage/gifts/"
    page = client.get("/support/manage/gifts/")
    assert page.status_code == 200 and "pi_1" not in page.content.decode()  # receipts only
    again = client.post(path)
    assert again.status_code == 410 and "used already" in again.content.decode()


def signed_days_ago(days: int, donor) -> str:
    """A genuine link for `donor`, as if it had been sent `days` ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - days * 86400))

    donor.refresh_from_db()
    return Then(salt=MANAGE_LINK_SALT).sign_object({"d": donor.pk, "n": donor.manage_nonce})


def test_forged_and_expired_links_are_refused(client, campaign):
    """A link with a guessed nonce, an edited signature or another salt is refused, as
    is one older than 7 days; no session is opened by any of them."""
    donor = gift("pi_1").donor
    forged = signing.dumps({"d": donor.pk, "n": "guess"}, salt=MANAGE_LINK_SALT)
    assert client.post(f"/support/manage/open/{forged}/").status_code == 410
    tampered = manage_link_token(donor)[:-2] + "xx"
    response = client.post(f"/support/manage/open/{tampered}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    other_salt = signing.dumps({"d": donor.pk, "n": donor.manage_nonce})
    assert client.get(f"/support/manage/open/{other_salt}/").status_code == 400
    manage_link_token(donor)
    expired = client.post(f"/support/manage/open/{signed_days_ago(8, donor)}/")
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert client.post(f"/support/manage/open/{signed_days_ago(6, donor)}/").status_code == 302
    client.cookies.clear()
    assert client.get("/support/manage/gifts/").status_code == 403


def test_the_page_lists_gifts_receipts_and_a_year_summary(client, campaign):
    """Receipts and summaries are the donor's own: another donor's gift is not found."""
    first = gift("pi_1", at=datetime(2025, 3, 1, 12, tzinfo=UTC), amount="25")
    gift("pi_2", at=datetime(2025, 11, 1, 12, tzinfo=UTC), amount="5")
    other = gift("pi_3", "bea@example.org")
    open_page(client, first.donor)
    page = client.get("/support/manage/gifts/").content.decode()
    assert "$25" in page and "$5" in page and "/support/manage/summary/2025/" in page
    receipt = client.get(f"/support/manage/receipt/{first.pk}/").content.decode()
    assert "$25" in receipt and "pi_1" in receipt
    assert client.get(f"/support/manage/receipt/{other.pk}/").status_code == 404
    summary = client.get("/support/manage/summary/2025/").content.decode()
    assert "Total: <strong>$30</strong>" in summary and "pi_3" not in summary
    assert client.get("/support/manage/summary/1066/").status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_number_of_gifts(client, campaign):
    """Seven queries for 2 gifts as for 7: the session, the donor, the gifts (with their
    monthly gift and article), the running monthly gifts, and the site's three for the
    page's frame (site, view restrictions, menu)."""
    donor = gift("pi_1").donor
    gift("in_1", recurring_reference="sub_1", customer_reference="cus_1")
    open_page(client, donor)
    client.get("/support/manage/gifts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/support/manage/gifts/")
    for n in range(5):
        gift(f"pi_more_{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/support/manage/gifts/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) == 7


@pytest.fixture
def stripe_api(settings):
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_rostra"
        settings.STRIPE_API_BASE = fake.url
        yield fake


def test_a_monthly_gift_is_cancelled_at_stripe_and_recorded(client, campaign, stripe_api):
    donor = gift("in_1", recurring_reference="sub_1", customer_reference="cus_1").donor
    monthly = RecurringGift.objects.get()
    open_page(client, donor)
    response = client.post(f"/support/manage/monthly/{monthly.pk}/cancel/")
    assert response.status_code == 302
    assert stripe_api.requests[-1]["path"] == "/v1/subscriptions/sub_1"
    assert stripe_api.requests[-1]["method"] == "DELETE"
    monthly.refresh_from_db()
    donor.refresh_from_db()
    assert monthly.status == "cancelled" and donor.active_monthly_gifts == 0
    page = client.get("/support/manage/gifts/").content.decode()
    assert "Your monthly gift is cancelled" in page and "No monthly gift is running" in page


def test_nobody_cancels_another_donors_gift(client, campaign, stripe_api):
    gift("in_1", "bea@example.org", recurring_reference="sub_1", customer_reference="cus_1")
    monthly = RecurringGift.objects.get()
    open_page(client, gift("pi_1").donor)
    response = client.post(f"/support/manage/monthly/{monthly.pk}/cancel/", follow=True)
    assert "There is no such monthly gift" in response.content.decode()
    assert stripe_api.requests == []
    assert RecurringGift.objects.get().status == "active"


def test_update_card_opens_a_customer_portal_session(client, campaign, stripe_api, settings):
    donor = gift("in_1", recurring_reference="sub_1", customer_reference="cus_1").donor
    open_page(client, donor)
    monthly = RecurringGift.objects.get()
    response = client.post(f"/support/manage/monthly/{monthly.pk}/card/")
    assert response.status_code == 302
    assert response["Location"] == f"{stripe_api.url}/p/session/bps_test_1"
    sent = stripe_api.requests[0]
    assert sent["path"] == "/v1/billing_portal/sessions" and sent["auth"] == "Bearer sk_test_rostra"
    assert sent["form"] == {
        "customer": "cus_1",
        "return_url": f"{settings.BASE_URL}/support/manage/gifts/",
    }


def test_the_donor_turns_their_name_on_the_wall_on_and_off(client, campaign):
    donor = gift("pi_1").donor
    assert selectors.supporters() == []
    open_page(client, donor)
    client.post("/support/manage/gifts/wall/", {"show_name": "yes"})
    assert [g.donor_name for g in selectors.supporters()] == ["Ana"]
    client.post("/support/manage/gifts/wall/", {"show_name": "no"})
    assert selectors.supporters() == [] and not Donor.objects.get().show_name


def test_the_wall_choice_is_confirmed_in_the_sites_language(client, campaign, settings):
    """On a German site (LANGUAGE_CODE=de) the message after turning the name on or off
    is German, like the rest of the page."""
    settings.LANGUAGE_CODE = "de"
    open_page(client, gift("pi_1").donor)
    said = []
    for choice in ("yes", "no"):
        response = client.post("/support/manage/gifts/wall/", {"show_name": choice}, follow=True)
        said += [str(message) for message in response.context["messages"]]
    assert said == [
        "Ihr Name wird auf der Unterstützerwand und als Unterstützer-Abzeichen angezeigt.",
        "Ihr Name wird auf der Unterstützerwand nicht angezeigt.",
    ]


def test_the_support_page_offers_manage_my_support(client, campaign, home):
    html = client.get("/support/").content.decode()
    assert "Manage my support" in html and 'action="/support/manage/"' in html
