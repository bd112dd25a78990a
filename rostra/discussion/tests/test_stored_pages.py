"""A public article page answered again from its finished copy (rostra.core.stored_pages):
one query while nothing changed, a fresh page after every kind of write, and never a
copy for (or from) a reader with personal cookies."""

import gzip
import time
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import brotli
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.log_actions import log

from rostra.core import page_cache, stored_pages
from rostra.discussion import services
from rostra.discussion.models import Comment, CommentStatus, DiscussionSettings
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.funding.models import Campaign
from rostra.funding.services.donations import DonationEvent, donation_record

pytestmark = pytest.mark.django_db

ANSWER_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "ETag",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Content-Language",
)


def _headers(response) -> dict:
    return {name: response.get(name) for name in ANSWER_HEADERS}


def test_a_stored_page_is_answered_with_one_query_as_it_was_sent(
    article, thread, django_assert_num_queries
):
    """The second anonymous GET costs one query (the page's version) and gets the same
    body and headers; a revalidation of it is a 304 for the same query."""
    post(thread, body="Tide comes early.")
    first = Client().get(article.url)
    with django_assert_num_queries(1):
        again = Client().get(article.url)
    assert again.status_code == 200
    assert again.content == first.content
    assert _headers(again) == _headers(first)
    assert not again.cookies
    with django_assert_num_queries(1):
        revalidated = Client().get(article.url, headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304
    assert not revalidated.content
    assert revalidated["ETag"] == first["ETag"]


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress), ("gzip", None)])
def test_each_encoding_gets_its_own_finished_copy(article, thread, encoding, decompress):
    """A copy is kept per Accept-Encoding: a reader who takes no compression never gets
    the compressed copy, and the compressed copy is the same page (rendered apart, so
    its composer's clock may differ)."""
    for n in range(3):
        post(thread, body=f"A comment long enough to be worth compressing, number {n}.")
    compressed = Client().get(article.url, headers={"Accept-Encoding": encoding})
    plain = Client().get(article.url)
    compressed_again = Client().get(article.url, headers={"Accept-Encoding": encoding})
    assert compressed["Content-Encoding"] == encoding
    assert not plain.has_header("Content-Encoding")
    assert compressed_again["Content-Encoding"] == encoding
    assert compressed_again.content == compressed.content
    body = (decompress or gzip.decompress)(compressed_again.content)
    assert body.count(b"worth compressing") == plain.content.count(b"worth compressing") == 3


def _page(article) -> str:
    response = Client().get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_stored_page_changes_after_every_kind_of_write(article, thread):
    """Posting, editing, voting, moderating, deleting, a settings change, publishing and
    a donation each give the next anonymous reader a page that shows the change."""
    author = guest("Ana")
    _page(article)
    comment = post(thread, author, body="Tide comes early.", name="Ana")
    assert "Tide comes early." in _page(article)
    services.comment_edit(comment=comment, viewer=author, policy=TEST_POLICY, body="Tide is late.")
    assert "Tide is late." in _page(article)
    services.comment_vote(comment=comment, viewer=guest(), policy=TEST_POLICY, value=1)
    assert 'aria-label="Score 1"' in _page(article)
    hidden = Comment.objects.filter(pk=comment.pk)
    services.comment_moderate(comments=hidden, viewer=staff(), status=CommentStatus.SPAM)
    assert "Tide is late." not in _page(article)
    services.comment_moderate(comments=hidden, viewer=staff(), status=CommentStatus.APPROVED)
    assert "Tide is late." in _page(article)
    comment.refresh_from_db()
    services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY)
    assert "Tide is late." not in _page(article)

    settings = DiscussionSettings.for_site(article.get_site())
    settings.bubble_invitation = "Tell us about the tides"
    settings.save()
    log(instance=settings, action="wagtail.edit")  # as the settings form does
    assert "Tell us about the tides" in _page(article)

    article.title = "Harbour road reopens"
    article.save_revision().publish()
    assert "Harbour road reopens" in _page(article)

    Campaign.objects.create(
        title="Running costs", goal=Decimal("5000"), currency="USD", starts_on=date(2025, 1, 1)
    )
    log(instance=Campaign.objects.get(), action="wagtail.create")  # as the snippet form does
    before = _page(article)
    donation_record(
        DonationEvent("paypal", "pp_1", Decimal("1234"), "USD", "confirmed", timezone.now()),
        campaign_currency="USD",
    )
    after = _page(article)
    assert "1,234" not in before
    assert "1,234" in after


def test_a_stored_page_is_rendered_afresh_each_hour_and_after_its_lifetime(
    article, thread, monkeypatch
):
    """The hour is part of the version ("5 minutes ago" labels), and a copy is used
    for STORED_SECONDS at most."""
    post(thread, body="Tide comes early.")
    first = Client().get(article.url)
    later = time.time() + 3600
    monkeypatch.setattr(page_cache, "time", SimpleNamespace(time=lambda: later))
    monkeypatch.setattr(stored_pages, "STORED_SECONDS", 0)
    next_hour = Client().get(article.url)
    assert next_hour["ETag"] != first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        Client().get(article.url)
    assert len(queries) > 1, "the copy was used past its lifetime"


def test_a_stored_page_never_reaches_a_reader_with_personal_cookies(article, thread):
    """A signed-in reader and a guest with a cookie get their own private pages while
    a public copy is stored, and what they were shown is never stored for others."""
    user = get_user_model().objects.create_user("mira", "mira@example.org", "pw-long-enough-1")
    reader = Client()
    reader.force_login(user)
    reader.post(f"/comments/articles/{article.pk}/post/", {"body": "Mine.", "started": ""})
    comment = Comment.objects.get(body_source="Mine.")
    stored = Client().get(article.url)
    assert f"?edit={comment.pk}" not in stored.content.decode()

    own = reader.get(article.url)
    assert own.content != stored.content
    assert f"?edit={comment.pk}" in own.content.decode()
    assert "private" in own["Cache-Control"]
    gus = Client()
    gus.post(f"/comments/articles/{article.pk}/post/", {"body": "Guest post.", "name": "Gus"})
    assert "rostra_guest" in gus.cookies
    assert "private" in gus.get(article.url)["Cache-Control"]

    anonymous = Client().get(article.url).content.decode()
    assert f"?edit={comment.pk}" not in anonymous
    assert 'name="csrfmiddlewaretoken" value=""' in anonymous
    assert "Sign out" not in anonymous
