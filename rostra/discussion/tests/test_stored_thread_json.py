"""The thread API's public answer (a GET from a reader without personal cookies) is a
public page: an ETag of the thread's version, a 304 while it holds, and a finished copy
rostra.core.stored_pages answers again before routing, for one query, until a write
changes the thread, the settings or who may read it."""

import pytest
from django.test import Client
from wagtail.log_actions import log

from rostra.discussion import services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.models import CommentStatus, DiscussionSettings
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_access import STATES, guest_client

pytestmark = pytest.mark.django_db


def _get(client, thread, headers=None, **query):
    query = {"thread": thread.key, "all": "true", **query}
    return client.get("/api/comments", query, headers=headers)


def _htmls(thread, **query) -> list[str]:
    response = _get(Client(), thread, **query)
    assert response.status_code == 200, response.content
    return [comment["html"] for comment in response.json()["comments"]]


def test_a_public_thread_is_stored_and_revalidated_for_one_query(thread, django_assert_num_queries):
    """The anonymous answer is public (no cookie, no Vary: Cookie) with an ETag; the next
    one comes from the stored copy for one query (the version) with the same body and
    headers, and a revalidation is a 304 for that same query."""
    post(thread, body="Tide comes early.")
    first = _get(Client(), thread)
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert first["ETag"]
    assert "Cookie" not in first.get("Vary", "")
    assert not first.cookies
    with django_assert_num_queries(1):
        again = _get(Client(), thread)
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    with django_assert_num_queries(1):
        revalidated = _get(Client(), thread, {"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304
    assert not revalidated.content


def test_the_stored_thread_changes_after_every_kind_of_write(article, thread):
    """Post, edit, vote, moderation, delete, and the settings behind the answer (page
    size, default order, saved and logged as the settings form does) each show in the
    next anonymous answer."""
    author = guest("Ana")
    first = post(thread, author, body="First.")
    assert _htmls(thread) == ["<p>First.</p>"]
    second = post(thread, body="Second.")
    assert _htmls(thread) == ["<p>Second.</p>", "<p>First.</p>"]
    services.comment_edit(comment=first, viewer=author, policy=TEST_POLICY, body="Edited.")
    assert _htmls(thread) == ["<p>Second.</p>", "<p>Edited.</p>"]
    services.comment_vote(comment=first, viewer=guest(), policy=TEST_POLICY, value=1)
    assert _get(Client(), thread).json()["comments"][1]["score"] == 1
    services.comment_moderate(comments=[second], viewer=staff(), status=CommentStatus.SPAM)
    assert _htmls(thread) == ["<p>Edited.</p>"]
    services.comment_moderate(comments=[second], viewer=staff(), status=CommentStatus.APPROVED)
    assert _htmls(thread) == ["<p>Second.</p>", "<p>Edited.</p>"]

    settings = DiscussionSettings.for_site(article.get_site())
    settings.default_sort = "oldest"
    settings.save()
    log(instance=settings, action="wagtail.edit")
    assert _htmls(thread) == ["<p>Edited.</p>", "<p>Second.</p>"]
    settings.page_size = 1
    settings.save()
    log(instance=settings, action="wagtail.edit")
    assert _get(Client(), thread, all="false").json()["has_more"] is True

    services.comment_delete(comment=first, viewer=author, policy=TEST_POLICY)
    assert _htmls(thread) == ["<p>Second.</p>"]


@pytest.mark.parametrize("state", ["unpublished", "sign-in required", "private section"])
def test_a_thread_readers_may_no_longer_see_is_never_answered_from_its_copy(
    article, section, thread, state
):
    """Once the article is unpublished or restricted, the stored copy is not used: the
    anonymous reader is told there is no such discussion."""
    post(thread, body="Tide comes early.")
    assert _htmls(thread) == ["<p>Tide comes early.</p>"]
    STATES[state](article, section)
    assert _get(Client(), thread).status_code == 404


def test_a_reader_with_personal_cookies_never_gets_nor_leaves_the_public_copy(thread):
    """A guest who voted gets their own private answer (their vote in it) while the
    public copy is stored, and the next anonymous reader does not see their vote."""
    comment = post(thread, body="Tide comes early.")
    public = _get(Client(), thread)
    voter = Viewer(key=guest_key("voter-token"), ip_hash="ip-voter")
    services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=1)
    own = _get(guest_client("voter-token"), thread)
    assert own["Cache-Control"] == "private, no-cache"
    assert own.json()["comments"][0]["my_vote"] == 1
    anonymous = _get(Client(), thread)
    assert anonymous["ETag"] != public["ETag"]
    assert anonymous.json()["comments"][0]["my_vote"] == 0
    assert anonymous.json()["comments"][0]["upvotes"] == 1
