"""The thread API's cached JSON: one shared copy per (thread, version, sort, page,
language), rebuilt after every change a reader could see, with each reader's own state
(votes, comments they may change, their held comments) laid over it and never stored in
it (api/thread_json.py)."""

from datetime import UTC

import orjson
import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from rostra.config.cache_url import parse_cache_url
from rostra.discussion import services
from rostra.discussion.api.copies import RecentCopies, recent_copies
from rostra.discussion.api.thread_json import cache_key, thread_page_json
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.services.roles import moderators_group_ensure
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_access import guest_client

pytestmark = pytest.mark.django_db


def listed(client, thread, **query) -> dict:
    response = client.get("/api/comments", {"thread": thread.key, **query})
    assert response.status_code == 200, response.content
    return response.json()


def every_comment(data: dict) -> list[dict]:
    found, stack = [], list(data["comments"])
    while stack:
        comment = stack.pop(0)
        found.append(comment)
        stack.extend(comment["replies"])
    return found


def by_id(data: dict) -> dict[int, dict]:
    return {comment["id"]: comment for comment in every_comment(data)}


def behind_the_caches_back(comment, body: str) -> None:
    """Change a comment's text without bumping the version: only a cached copy still
    shows the old text."""
    Comment.objects.filter(pk=comment.pk).update(body_html=f"<p>{body}</p>")


def test_the_json_is_served_from_the_cache_until_the_version_moves(client, thread):
    """A second read at the same version is the cached copy (a change that did not bump
    the version does not show); a bump makes the next read rebuild it."""
    comment = post(thread, body="Original.")
    assert listed(client, thread)["comments"][0]["html"] == "<p>Original.</p>"
    behind_the_caches_back(comment, "Changed unseen.")
    assert listed(client, thread)["comments"][0]["html"] == "<p>Original.</p>"
    services.thread_set_closed(thread=thread, viewer=staff(), closed=True)
    assert listed(client, thread)["comments"][0]["html"] == "<p>Changed unseen.</p>"


def test_the_cached_json_changes_after_each_kind_of_write(client, thread):
    """Post, edit, delete, moderation and vote each show in the next read of a warm
    cache; each sort and each page has its own copy."""
    author = guest("Author")
    first = post(thread, author, body="First.")
    assert [c["html"] for c in listed(client, thread)["comments"]] == ["<p>First.</p>"]

    second = post(thread, body="Second.")
    assert [c["html"] for c in listed(client, thread)["comments"]] == [
        "<p>Second.</p>",
        "<p>First.</p>",
    ]
    assert [c["id"] for c in listed(client, thread, sort="oldest")["comments"]] == [
        first.pk,
        second.pk,
    ]

    services.comment_edit(comment=first, viewer=author, policy=TEST_POLICY, body="First, edited.")
    assert by_id(listed(client, thread))[first.pk]["html"] == "<p>First, edited.</p>"

    assert [c["id"] for c in listed(client, thread, sort="voted")["comments"]] == [
        second.pk,
        first.pk,
    ]
    services.comment_vote(comment=first, viewer=guest(), policy=TEST_POLICY, value=1)
    assert by_id(listed(client, thread))[first.pk]["score"] == 1
    assert [c["id"] for c in listed(client, thread, sort="voted")["comments"]] == [
        first.pk,
        second.pk,
    ]

    services.comment_moderate(comments=[second], viewer=staff(), status=CommentStatus.SPAM)
    assert list(by_id(listed(client, thread))) == [first.pk]

    services.comment_delete(comment=first, viewer=author, policy=TEST_POLICY)
    data = listed(client, thread)
    assert (data["comments"], data["total_comments"]) == ([], 0)


def test_pages_past_the_end_are_not_kept(client, thread):
    """Only pages with comments (and the first page) are stored: asking for page after
    page of an empty end cannot fill the cache."""
    post(thread)
    assert listed(client, thread, page=50)["comments"] == []
    keys = [cache_key(thread, sort="newest", page=page, page_size=30) for page in (1, 50)]
    listed(client, thread)
    assert [cache.get(key) is not None for key in keys] == [True, False]


def test_the_cache_is_asked_only_after_the_access_rule(client, article, thread):
    """A cached thread whose article was unpublished answers 404, as without a cache."""
    post(thread, body="Said while it was public.")
    assert listed(client, thread)["total_comments"] == 1
    article.unpublish()
    response = client.get("/api/comments", {"thread": thread.key})
    assert response.status_code == 404
    assert b"Said while" not in response.content


def test_one_readers_votes_and_edit_rights_never_show_in_anothers_response(client, thread):
    """Ann voted and may still edit her comment; Bob, another guest, and an anonymous
    reader read the same thread at the same version from the warm cache, before and
    after Ann: they see no vote and nothing they may change; Ann sees hers, as the
    services decide them."""
    ann, bob = guest_client("ann"), guest_client("bob")
    ann_viewer = Viewer(key=guest_key("ann"))
    hers = post(thread, ann_viewer, body="Ann's comment.")
    theirs = post(thread, body="Someone else's.")
    reply = post(thread, body="A reply.", parent_id=theirs.pk)
    services.comment_vote(comment=theirs, viewer=ann_viewer, policy=TEST_POLICY, value=1)
    services.comment_vote(comment=reply, viewer=ann_viewer, policy=TEST_POLICY, value=-1)

    for reader in (bob, client):
        nobodys = every_comment(listed(reader, thread))
        assert {(c["my_vote"], c["can_change"]) for c in nobodys} == {(0, False)}
    anns = by_id(listed(ann, thread))
    assert {pk: c["my_vote"] for pk, c in anns.items()} == {
        hers.pk: 0,
        theirs.pk: 1,
        reply.pk: -1,
    }
    for comment in Comment.objects.all():
        can_change = services.comment_can_change(comment, ann_viewer, TEST_POLICY)
        assert anns[comment.pk]["can_change"] is can_change
    assert anns[hers.pk]["can_change"] is True
    for reader in (bob, client):
        nobodys = every_comment(listed(reader, thread))
        assert {(c["my_vote"], c["can_change"]) for c in nobodys} == {(0, False)}


def test_a_held_comment_shows_to_its_author_and_to_staff_only(client, thread, django_user_model):
    """Ann's held comment is in her response and in a moderator's (who may change everything),
    never in Bob's or an anonymous reader's, whoever reads first at that version."""
    ann_viewer = Viewer(key=guest_key("ann"))
    post(thread, body="Published.")
    held = post(thread, ann_viewer, body="Held for review.")
    services.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    editor.groups.add(moderators_group_ensure())
    staff_client = guest_client("staff")
    staff_client.force_login(editor)

    assert held.pk not in by_id(listed(client, thread))
    anns = listed(guest_client("ann"), thread)
    assert anns["total_comments"] == 2 and held.pk in by_id(anns)
    assert by_id(anns)[held.pk]["status"] == "pending"
    staffs = every_comment(listed(staff_client, thread))
    assert held.pk in {c["id"] for c in staffs} and all(c["can_change"] for c in staffs)
    for reader in (guest_client("bob"), client):
        data = listed(reader, thread)
        assert held.pk not in by_id(data) and data["total_comments"] == 1
        assert not any(c["can_change"] for c in every_comment(data))


def test_the_database_cache_backend_serves_and_renews_the_thread(client, thread, settings):
    """With CACHE_URL=db: (the default), the copy is kept in the cache table, where
    another process (this one, its memory of recent copies forgotten) finds it, and
    replaced after a change."""
    settings.CACHES = parse_cache_url("db:")
    call_command("createcachetable", verbosity=0)
    assert isinstance(caches["default"], DatabaseCache)
    comment = post(thread, body="Kept in a table.")
    assert listed(client, thread)["comments"][0]["html"] == "<p>Kept in a table.</p>"
    behind_the_caches_back(comment, "Changed unseen.")
    recent_copies.clear()
    assert listed(client, thread)["comments"][0]["html"] == "<p>Kept in a table.</p>"
    post(thread, body="A new one.")
    recent_copies.clear()
    assert [c["html"] for c in listed(client, thread)["comments"]] == [
        "<p>A new one.</p>",
        "<p>Changed unseen.</p>",
    ]


def test_a_process_keeps_recent_copies_within_its_memory_budget():
    """A copy is given back only for its version; the least recently used go first
    once the copies hold more than the budget, and a copy larger than it is not kept."""
    copies = RecentCopies(max_bytes=10)
    copies.put("a", 1, b"aaaa")
    copies.put("b", 1, b"bbbb")
    assert (copies.get("a", 1), copies.get("a", 2)) == (b"aaaa", None)
    copies.put("c", 1, b"cccc")  # 12 bytes: "b", the least recently used, goes
    assert [copies.get(key, 1) for key in "abc"] == [b"aaaa", None, b"cccc"]
    copies.put("a", 2, b"AAAAAA")  # replaces "a": 10 bytes, within the budget
    assert [copies.get("a", 2), copies.get("c", 1)] == [b"AAAAAA", b"cccc"]
    copies.put("d", 1, b"d" * 11)
    assert copies.get("d", 1) is None


def test_times_are_written_alike_by_every_endpoint(client, thread):
    """The thread's rows get their times from the database as text, posting answers
    from a datetime: both are UTC with milliseconds (cut, not rounded) and "Z"."""
    comment = post(thread, body="What time is it?")
    created = timezone.now().replace(microsecond=123999)
    Comment.objects.filter(pk=comment.pk).update(created_at=created, edited_at=created)
    listed_comment = listed(client, thread)["comments"][0]
    expected = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.123Z")
    assert (listed_comment["created_at"], listed_comment["edited_at"]) == (expected, expected)
    api_client = Client(enforce_csrf_checks=True)
    api_client.get("/api/csrf")
    answered = api_client.post(
        "/api/comments",
        {"thread": thread.key, "body": "Now.", "name": "Ana"},
        content_type="application/json",
        headers={"X-CSRFToken": api_client.cookies["csrftoken"].value},
    ).json()
    stored = Comment.objects.get(pk=answered["id"]).created_at
    millis = f"{stored.microsecond // 1000:03d}"
    assert answered["created_at"] == stored.strftime(f"%Y-%m-%dT%H:%M:%S.{millis}Z")
    assert by_id(listed(client, thread))[answered["id"]]["created_at"] == answered["created_at"]


def test_each_language_has_its_own_cached_copy(thread):
    """The shared JSON is kept per language (its texts, such as why a comment is held,
    are in the reader's language): a copy built for a German page never answers an
    English one."""
    comment = post(thread, body="Original.")
    thread.refresh_from_db()

    def first_html(language: str) -> str:
        with translation.override(language):
            body = thread_page_json(
                thread, None, TEST_POLICY, thread_key=thread.key, sort="newest", page=1,
                page_size=30, show_all=False,
            )  # fmt: skip
        return orjson.loads(body)["comments"][0]["html"]

    assert first_html("de") == "<p>Original.</p>"
    behind_the_caches_back(comment, "Changed unseen.")
    assert first_html("de") == "<p>Original.</p>", "German: its cached copy"
    assert first_html("en") == "<p>Changed unseen.</p>", "English: built, not the German copy"
