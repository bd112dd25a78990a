"""After a vote the thread's JSON is not built again: its text, authors and tree are kept
on the thread's content version (which votes do not move), and only the scores are read
again and written into it (api/scored_copies.py). Every other kind of write moves the
content version, and what readers see changes after each; no reader's own state enters
the copy every reader shares."""

import gzip

import brotli
import orjson
import pytest
from django.core.cache import cache

from rostra.discussion import services
from rostra.discussion.api.copies import recent_copies
from rostra.discussion.api.thread_json import page_key
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.inline import anchors_follow_article
from rostra.discussion.models import CommentStatus, Thread
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_access import guest_client
from rostra.discussion.tests.test_inline_feedback import PARAGRAPH, QUESTION, selection
from rostra.discussion.tests.test_read_query_budgets import settled  # noqa: F401 - fixture
from rostra.discussion.tests.test_thread_cache import (
    behind_the_caches_back,
    by_id,
    every_comment,
    listed,
)
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def content_version(thread) -> int:
    return Thread.objects.get(pk=thread.pk).content_version


def vote(comment, voter: str, value: int) -> None:
    viewer = Viewer(key=guest_key(voter))
    services.comment_vote(comment=comment, viewer=viewer, policy=TEST_POLICY, value=value)


def test_a_vote_moves_the_version_but_not_the_content_version(thread):
    """A vote (and withdrawing it) moves the version only; a post, an edit, a deletion
    and a moderation decision move both."""
    author = guest("Author")
    comment = post(thread, author, body="Vote on me.")
    before = Thread.objects.get(pk=thread.pk)
    vote(comment, "ann", 1)
    vote(comment, "ann", 0)
    after = Thread.objects.get(pk=thread.pk)
    assert (after.version - before.version, after.content_version) == (2, before.content_version)
    changes = [
        lambda: post(thread, body="Another."),
        lambda: services.comment_edit(
            comment=comment, viewer=author, policy=TEST_POLICY, body="Edited."
        ),
        lambda: services.comment_moderate(
            comments=[comment], viewer=staff(), status=CommentStatus.REMOVED
        ),
        lambda: services.comment_delete(comment=comment, viewer=staff(), policy=TEST_POLICY),
    ]
    for change in changes:
        before = content_version(thread)
        change()
        assert content_version(thread) == before + 1


def test_after_a_vote_the_scores_are_new_and_the_text_is_the_kept_copy(client, thread):
    """Text changed behind the cache's back stays unseen after a vote (the copy of the
    content was reused), while the vote's scores show at once, in every comment and
    reply, in the whole thread and in a page."""
    root = post(thread, body="Root.")
    reply = post(thread, body="Reply.", parent_id=root.pk)
    for query in ({}, {"all": "true"}):
        listed(client, thread, **query)
    behind_the_caches_back(root, "Changed unseen.")
    vote(reply, "ann", -1)
    vote(root, "bob", 1)
    vote(root, "cem", 1)
    for query in ({}, {"all": "true"}):
        comments = by_id(listed(client, thread, **query))
        assert comments[root.pk]["html"] == "<p>Root.</p>"
        assert [comments[pk][name] for pk in (root.pk, reply.pk) for name in SCORES] == [
            2, 0, 2, 0, 1, -1,
        ]  # fmt: skip
    post(thread, body="A post moves the content version.")
    assert by_id(listed(client, thread))[root.pk]["html"] == "<p>Changed unseen.</p>"


SCORES = ("upvotes", "downvotes", "score")


def test_the_json_after_a_vote_is_what_a_full_rebuild_gives(client, thread):
    """Byte for byte the copy built from scratch: the scores are written in the same
    place and form, whatever the text holds (quotes, the characters of the score holes)."""
    root = post(thread, body='He said "upvotes": 3, and \\u0000 too.')
    post(thread, body="Reply.", parent_id=root.pk)
    listed(client, thread, all="true")
    vote(root, "ann", 1)
    reused = client.get("/api/comments", {"thread": thread.key, "all": "true"}).content
    cache.clear()
    recent_copies.clear()
    rebuilt = client.get("/api/comments", {"thread": thread.key, "all": "true"}).content
    assert reused == rebuilt
    assert by_id(listed(client, thread))[root.pk]["upvotes"] == 1


def test_the_most_voted_order_follows_each_vote(client, thread):
    """ "Most Voted" reorders after a vote, whole thread and first page."""
    first, second = post(thread, body="First."), post(thread, body="Second.")
    for query in ({"sort": "voted"}, {"sort": "voted", "all": "true"}):
        assert [c["id"] for c in listed(client, thread, **query)["comments"]] == [
            second.pk,
            first.pk,
        ]
    vote(first, "ann", 1)
    for query in ({"sort": "voted"}, {"sort": "voted", "all": "true"}):
        assert [c["id"] for c in listed(client, thread, **query)["comments"]] == [
            first.pk,
            second.pk,
        ]


def test_anchors_moving_change_the_passage_readers_see(client, section):
    """An article edit that moves a comment's passage shows in the next read."""
    article = make_article(section, "Flood barrier", text=PARAGRAPH)
    article.body = [("paragraph", f"<p>{PARAGRAPH}</p>"), ("paragraph", f"<p>{QUESTION}</p>")]
    article.save_revision().publish()
    thread = services.thread_for_article(article)
    comment = post(thread, body="Rain!", passage=selection(article))
    start = by_id(listed(client, thread))[comment.pk]["passage"]["start"]
    block_id = article.body[0].id
    article.body = [
        {"type": "paragraph", "value": f"<p>Update: 7-2. {PARAGRAPH}</p>", "id": block_id},
        {"type": "paragraph", "value": f"<p>{QUESTION}</p>", "id": article.body[1].id},
    ]
    article.save_revision().publish()
    anchors_follow_article(article)
    moved = by_id(listed(client, thread))[comment.pk]["passage"]
    assert moved["start"] == start + len("Update: 7-2. ")


def test_a_voters_own_vote_stays_out_of_the_copy_others_read(client, thread):
    """Ann's vote moves the scores everyone sees, her `my_vote` only in her answer."""
    comment = post(thread, body="Vote on me.")
    listed(client, thread)
    vote(comment, "ann", 1)
    assert by_id(listed(guest_client("ann"), thread))[comment.pk]["my_vote"] == 1
    nobodys = every_comment(listed(client, thread))
    assert [(c["upvotes"], c["my_vote"]) for c in nobodys] == [(1, 0)]


def test_the_thread_after_a_vote_costs_five_queries(settled, thread, django_assert_num_queries):  # noqa: F811
    """1 the stored public answer's version, now out of date; 2 the discussion settings'
    version; 3 read again for the new answer's ETag; 4 the article behind the key with its
    thread and versions, if readers may see it; 5 the scores of the thread's comments. Not
    the four queries of a rebuild."""
    root = post(thread, body="Root.")
    post(thread, body="Reply.", parent_id=root.pk)
    settled.get("/api/comments", {"thread": thread.key, "all": "true"})
    vote(root, "ann", 1)
    with django_assert_num_queries(5):
        response = settled.get("/api/comments", {"thread": thread.key, "all": "true"})
    assert response.json()["comments"][0]["upvotes"] == 1


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_the_shared_copy_is_compressed_once_per_version(client, thread, encoding, decompress):
    """A reader who takes br or gzip gets the shared copy compressed, kept in the
    process beside it (not compressed again per request), the same JSON as
    uncompressed; after a vote, the new scores, compressed anew."""
    comment = post(thread, body="A comment long enough to be worth compressing, again.")
    query = {"thread": thread.key, "all": "true"}
    plain = client.get("/api/comments", query).content
    first = client.get("/api/comments", query, headers={"Accept-Encoding": encoding})
    assert (first["Content-Encoding"], "Accept-Encoding" in first["Vary"]) == (encoding, True)
    assert decompress(first.content) == plain
    key = page_key(thread, sort="newest", page="all", page_size=30)
    version = Thread.objects.get(pk=thread.pk).version
    assert recent_copies.get(f"{key}:{encoding}", version) == first.content
    vote(comment, "ann", 1)
    again = client.get("/api/comments", query, headers={"Accept-Encoding": encoding})
    assert orjson.loads(decompress(again.content))["comments"][0]["upvotes"] == 1


def test_a_signed_in_reader_after_a_vote_costs_nine_queries(
    settled,  # noqa: F811
    thread,
    django_user_model,
    django_assert_num_queries,
):
    """The session and the user behind it, the access check, the discussion settings'
    version, the reader's permissions (their own and their groups': a moderator sees
    held comments), the reader's votes in the thread and their comments held or in the
    edit window, the thread's scores; their own vote in their answer only."""
    root = post(thread, body="Root.")
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ann", email=user.email)
    settled.get("/api/comments", {"thread": thread.key})
    services.comment_vote(comment=root, viewer=reader, policy=TEST_POLICY, value=1)
    settled.force_login(user)
    with django_assert_num_queries(9):
        response = settled.get("/api/comments", {"thread": thread.key})
    assert [(c["upvotes"], c["my_vote"]) for c in response.json()["comments"]] == [(1, 1)]
