"""Readers' votes on comments, with counters that stay exact under parallel votes."""

from django.db import IntegrityError, transaction
from django.db.models import F

from rostra.core import events
from rostra.discussion.events import VoteChanged
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, Vote
from rostra.discussion.policy import Policy
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.threads import thread_is_open
from rostra.discussion.versions import thread_version_bump


def comment_vote(*, comment: Comment, viewer: Viewer | None, policy: Policy, value: int) -> Comment:
    """Record the viewer's vote: 1 up, -1 down, 0 withdraw. Returns fresh counts.

    Counters move by SQL arithmetic on the row (no read-modify-write), and the unique
    (comment, voter) constraint makes concurrent clicks of one voter count once.
    """
    if value not in (1, -1, 0):
        raise DiscussionError("A vote is up (1), down (-1) or withdrawn (0).", field="value")
    if viewer is None:
        raise DiscussionError("Please enable cookies to vote.", status=403)
    if policy.require_sign_in and not viewer.is_authenticated:
        raise DiscussionError("Please sign in to vote.", status=403)
    if not comment.is_visible_to_all:
        raise DiscussionError("This comment cannot be voted on.", status=404)
    if comment.author_key == viewer.key:
        raise DiscussionError("You cannot vote on your own comment.", status=403)
    if not thread_is_open(comment.thread, policy):
        raise DiscussionError("Voting on this article is closed.", status=403)

    for _attempt in range(3):
        try:
            with transaction.atomic():
                changed = _apply_vote(comment, viewer.key, value)
                comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
                if changed:
                    events.publish(VoteChanged(comment.pk, comment.thread_id, comment.score))
            break
        except IntegrityError:
            continue  # the same voter's other request inserted first: apply as a change
    return comment


def _apply_vote(comment: Comment, voter_key: str, value: int) -> bool:
    """Store the vote and move the counters; False when the vote was already so."""
    existing = Vote.objects.select_for_update().filter(comment=comment, voter_key=voter_key).first()
    old = existing.value if existing else 0
    if old == value:
        return False
    if value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value", "created_at"])
    else:
        Vote.objects.create(comment=comment, voter_key=voter_key, value=value)
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )
    thread_version_bump(comment.thread_id)
    return True
