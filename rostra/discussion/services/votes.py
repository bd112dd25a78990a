"""Readers' votes on comments, with counters that stay exact under parallel votes.

A vote is one short transaction of at most five statements: the vote written (an
insert that does nothing when the voter already voted or a ban refuses them, then the
ban's refusal or an update that turns an opposite vote, or a delete for a withdrawal),
the counters moved and read back in one UPDATE … RETURNING, the thread's version
bumped, the live event recorded. A new vote, the common case, is four. Kept as SQL
because the ORM cannot say ON CONFLICT DO NOTHING, UPDATE or DELETE with RETURNING:
the ORM's form took eight statements (a locking read, the write, the counters, a read
back); see bench/discussion_sql.py for the measure. SQLite (3.35 and later) and
PostgreSQL both run these statements.
"""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core import events
from rostra.discussion.events import VoteChanged
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, Vote
from rostra.discussion.policy import Policy
from rostra.discussion.services.bans import ban_check, not_blocked
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.sql import columns_of, comment_columns, comment_table, table_of
from rostra.discussion.services.threads import thread_is_open
from rostra.discussion.versions import thread_version_bump


def comment_vote(*, comment: Comment, viewer: Viewer | None, policy: Policy, value: int) -> Comment:
    """Record the viewer's vote: 1 up, -1 down, 0 withdraw. Returns the comment with its
    counters as the vote left them (as read for this request when it changed nothing).

    Counters move by SQL arithmetic on the row (no read-modify-write). The unique
    (comment, voter) constraint makes concurrent clicks of one voter insert once, and
    the voter's row, once written, is locked until the commit: a voter's concurrent
    requests apply one after the other, each seeing what the last one stored.
    """
    if value not in (1, -1, 0):
        raise DiscussionError(_("A vote is up (1), down (-1) or withdrawn (0)."), field="value")
    if viewer is None:
        raise DiscussionError(_("Please enable cookies to vote."), status=403)
    if policy.require_sign_in and not viewer.is_authenticated:
        raise DiscussionError(_("Please sign in to vote."), status=403)
    if not comment.is_visible_to_all:
        raise DiscussionError(_("This comment cannot be voted on."), status=404)
    if comment.author_key == viewer.key:
        raise DiscussionError(_("You cannot vote on your own comment."), status=403)
    if not thread_is_open(comment.thread, policy):
        raise DiscussionError(_("Voting on this article is closed."), status=403)
    with transaction.atomic(), connection.cursor() as cursor:
        old = _store_vote(cursor, comment.pk, viewer, value)
        if old == value:
            return comment
        up = (value == 1) - (old == 1)
        down = (value == -1) - (old == -1)
        comment.upvotes, comment.downvotes, comment.score = _move_counters(
            cursor, comment.pk, up, down
        )
        thread_version_bump(comment.thread_id, votes_only=True)
        events.publish(VoteChanged(comment.pk, comment.thread_id, comment.score))
    return comment


def _store_vote(cursor, comment_id: int, viewer: Viewer, value: int) -> int:
    """Store the voter's vote; return what it was before (0: none). `value` itself when
    nothing changed (the vote was already so).

    A blocked reader's votes are refused like their comments (withdrawing one is not);
    a shadow-banned one's count, since refusing them would reveal the ban. The insert
    itself checks the bans; when it inserted nothing, `ban_check` says whether a ban
    was why (DiscussionError) before the voter's earlier vote is turned."""
    voter_key = viewer.key
    table = table_of(Vote)
    comment, voter, stored, created = columns_of(
        Vote, "comment", "voter_key", "value", "created_at"
    )
    mine = f"{comment} = %s AND {voter} = %s"
    if value == 0:
        delete = f"DELETE FROM {table} WHERE {mine} RETURNING {stored}"  # noqa: S608 - model's names
        cursor.execute(delete, [comment_id, voter_key])
        row = cursor.fetchone()
        return row[0] if row else 0
    moment = timezone.now()
    now = connection.ops.adapt_datetimefield_value(moment)
    allowed, ban_params = not_blocked(viewer, viewer.email, moment)
    # SQLite reads ON CONFLICT after a SELECT only when the SELECT has a WHERE clause.
    cursor.execute(
        f"INSERT INTO {table} ({comment}, {voter}, {stored}, {created}) "
        f"SELECT %s, %s, %s, %s WHERE {allowed} "
        f"ON CONFLICT ({comment}, {voter}) DO NOTHING RETURNING 1",
        [comment_id, voter_key, value, now, *ban_params],
    )
    if cursor.fetchone():
        return 0
    ban_check(viewer, viewer.email, moment, doing="vote")
    # The voter voted before: turn an opposite vote (the only other value a vote has).
    cursor.execute(
        f"UPDATE {table} SET {stored} = %s, {created} = %s "  # noqa: S608
        f"WHERE {mine} AND {stored} <> %s RETURNING 1",
        [value, now, comment_id, voter_key, value],
    )
    return -value if cursor.fetchone() else value


def _move_counters(cursor, comment_id: int, up: int, down: int) -> tuple[int, int, int]:
    """Move the counters by SQL arithmetic; the new (upvotes, downvotes, score)."""
    upvotes, downvotes, score, pk = comment_columns("upvotes", "downvotes", "score", "id")
    cursor.execute(
        f"UPDATE {comment_table()} SET {upvotes} = {upvotes} + %s, "  # noqa: S608
        f"{downvotes} = {downvotes} + %s, {score} = {score} + %s "
        f"WHERE {pk} = %s RETURNING {upvotes}, {downvotes}, {score}",
        [up, down, up - down, comment_id],
    )
    return cursor.fetchone()
