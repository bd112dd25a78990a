"""A new comment's row, its place in the tree included, is written by one INSERT."""

from dataclasses import replace

import pytest

from rostra.discussion.models import PATH_STEP, Comment
from rostra.discussion.testing import TEST_POLICY, guest, post

pytestmark = pytest.mark.django_db

STORED = [f.attname for f in Comment._meta.concrete_fields]


def _as_stored(comment: Comment) -> dict:
    return {name: getattr(comment, name) for name in STORED}


def test_the_comment_returned_is_the_row_stored_top_level_and_reply(thread):
    """Every column of a new comment and of a reply, its path, root and depth too, reads
    back exactly as the service returned it."""
    top = post(thread, guest("Ann"), body="Top.", name="Ann", email="ann@example.org")
    reply = post(thread, guest("Bo"), body="Reply.", name="Bo", parent_id=top.pk)
    for comment in (top, reply):
        assert _as_stored(Comment.objects.get(pk=comment.pk)) == _as_stored(comment)
    assert top.path == str(top.pk).zfill(PATH_STEP) and top.root_id == top.pk
    assert reply.path == f"{top.path}/{str(reply.pk).zfill(PATH_STEP)}"
    assert (reply.root_id, reply.parent_id, reply.depth) == (top.pk, top.pk, 1)


def test_a_reply_past_the_depth_limit_keeps_its_place_under_the_grandparent(thread):
    """The depth limit moves a reply up a level: its path and root follow the comment
    it is filed under, and it remembers whom it answers."""
    policy = replace(TEST_POLICY, max_depth=2)
    top = post(thread, body="Top.", policy=policy)
    child = post(thread, body="Child.", parent_id=top.pk, policy=policy)
    deep = post(thread, body="Too deep.", parent_id=child.pk, policy=policy)
    stored = Comment.objects.get(pk=deep.pk)
    assert (stored.parent_id, stored.reply_to_id, stored.depth) == (top.pk, child.pk, 1)
    assert stored.path == f"{top.path}/{str(deep.pk).zfill(PATH_STEP)}"


def test_an_id_is_never_given_twice_even_after_the_newest_comment_is_deleted(thread):
    """As the database's own numbering does: the id of a comment removed for good is
    not given to the next one (links and logs that named it stay wrong, not misleading)."""
    first = post(thread, body="First.")
    gone = post(thread, body="Gone.")
    Comment.objects.filter(pk=gone.pk).delete()
    after = post(thread, body="After.")
    assert after.pk > gone.pk > first.pk
