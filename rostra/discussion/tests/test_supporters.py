"""Supporters in the discussion (#18): a "Supporter" badge on the comments of readers
whose account is linked to a donor who chose to be named, and supporters-only
discussions ("Supporters' Q&A") enforced in the one posting service: the form and the
API refuse everyone else politely, keep their text, and point to /support/."""

import pytest

from rostra.discussion.identity import Viewer
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import guest, post
from rostra.funding.models import Donor
from rostra.funding.services.donors import donor_set_show_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("rita", "rita@example.org", "pw")


def as_viewer(user) -> Viewer:
    return Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name=user.get_username())


def make_donor(user, *, show_name=True) -> Donor:
    return Donor.objects.create(
        email=user.email, name="Rita", user=user, show_name=show_name, gifts=1
    )


def section(client, article) -> str:
    return client.get(f"/comments/articles/{article.pk}/").content.decode()


def test_the_supporter_badge_follows_the_donors_choice_at_once(client, article, thread, reader):
    """Shown while the linked donor chooses to be named; hiding it rebuilds the cached
    cards (the thread's version moves in the same transaction)."""
    donor = make_donor(reader, show_name=False)
    post(thread, as_viewer(reader), body="I give monthly.")
    post(thread, guest(), body="Me too.", name="Rita (Supporter)")
    assert "comment__badge--supporter" not in section(client, article)
    donor_set_show_name(donor=donor, show=True)
    html = section(client, article)
    assert html.count("comment__badge--supporter") == 1
    comments = client.get("/api/comments", {"thread": thread.key, "sort": "oldest"}).json()
    assert [c["badges"] for c in comments["comments"]] == [["Supporter"], []]
    donor_set_show_name(donor=donor, show=False)
    assert "comment__badge--supporter" not in section(client, article)


def test_a_supporters_only_discussion_refuses_others_in_the_service(
    thread, reader, django_user_model
):
    thread.supporters_only = True
    thread.save()
    for viewer in (guest(), as_viewer(reader)):
        with pytest.raises(DiscussionError) as refused:
            post(thread, viewer, body="Let me in.")
        assert refused.value.status == 403 and "/support/" in refused.value.message
    make_donor(reader, show_name=False)  # a supporter need not be named on the wall
    assert post(thread, as_viewer(reader), body="Supporter's question.").pk
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    newsroom = Viewer(key=f"u:{editor.pk}", user_id=editor.pk, is_staff=True)
    assert post(thread, newsroom, body="The newsroom answers.").pk


def test_the_form_keeps_the_text_and_links_to_support(client, article, thread):
    thread.supporters_only = True
    thread.save()
    page = section(client, article)
    assert "Supporters&#x27; Q&amp;A" in page or "Supporters' Q&amp;A" in page
    answer = client.post(
        f"/comments/articles/{article.pk}/post/",
        {"body": "My careful question.", "name": "Guest", "email": ""},
        headers={"HX-Request": "true"},
    )
    html = answer.content.decode()
    assert "My careful question." in html and "Supporters&#x27; Q&amp;A" in html
    assert 'href="/support/"' in html
    assert not thread.comments.exists()


def test_the_api_refuses_with_the_same_message(client, thread):
    thread.supporters_only = True
    thread.save()
    csrf = client.get("/api/csrf").json()["csrf_token"]
    answer = client.post(
        "/api/comments",
        {"thread": thread.key, "body": "Via the API.", "name": "Bot"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert answer.status_code == 403
    assert "/support/" in answer.json()["error"]
    assert not thread.comments.exists()


def test_opening_a_discussion_to_supporters_in_the_admin_moves_its_version(thread):
    before = thread.version
    thread.supporters_only = True
    thread.save()
    thread.refresh_from_db()
    assert thread.version == before + 1


def _gift(reference: str, *, email: str, reader=None, status="confirmed"):
    from datetime import UTC, datetime
    from decimal import Decimal

    from rostra.funding.services.donations import DonationEvent, donation_record

    event = DonationEvent(
        "paypal", reference, Decimal("10"), "USD", status, datetime(2026, 11, 2, tzinfo=UTC),
        email=email, is_anonymous=False, reader_id=reader.pk if reader else None,
    )  # fmt: skip
    return donation_record(event, campaign_currency="USD")[0]


def test_a_first_confirmed_gift_gives_the_badge_without_waiting_for_the_thread(
    client, article, thread, reader
):
    """The reader's cards were cached before they gave: the first confirmed gift moves
    the versions of the threads they wrote in, so the badge shows on the next view."""
    Donor.objects.create(email=reader.email, name="Rita", user=reader, show_name=True)
    post(thread, as_viewer(reader), body="Thinking about giving.")
    assert "comment__badge--supporter" not in section(client, article)
    _gift("pending-1", email=reader.email, reader=reader, status="pending")
    assert "comment__badge--supporter" not in section(client, article)
    _gift("first-1", email=reader.email, reader=reader)
    assert section(client, article).count("comment__badge--supporter") == 1


def test_linking_a_supporters_account_gives_the_badge_at_once(client, article, thread, reader):
    """A named donor who gave as a guest signs in and gives again from their account:
    the link to the account shows the badge on what they had written."""
    _gift("guest-1", email=reader.email)
    post(thread, as_viewer(reader), body="Signed in now.")
    assert "comment__badge--supporter" not in section(client, article)
    _gift("account-1", email=reader.email, reader=reader, status="pending")
    assert section(client, article).count("comment__badge--supporter") == 1


def test_erasing_a_supporter_takes_the_badge_away_at_once(client, article, thread, reader):
    """Erasure removes the account link: the cached cards lose the badge."""
    from django.contrib.auth import get_user_model

    from rostra.funding.services.donors import donor_erase

    donor = make_donor(reader)
    post(thread, as_viewer(reader), body="Please forget me.")
    assert section(client, article).count("comment__badge--supporter") == 1
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    donor_erase(donor=donor, user=editor)
    assert "comment__badge--supporter" not in section(client, article)
