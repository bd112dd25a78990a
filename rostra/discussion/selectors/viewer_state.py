"""What of a thread is one reader's own: their votes, the comments they may still change,
and whether they see comments other readers do not (their own held or shadow-banned
comments; staff see
every held comment). The thread API lays this over the copy of the thread that every
reader shares (api/thread_json.py), so none of it is ever stored in that copy.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from rostra.discussion.identity import Viewer
from rostra.discussion.models import AUTHOR_ONLY, Comment, Thread, Vote


@dataclass(frozen=True)
class ViewerState:
    votes: dict[int, int]  # comment id: 1 or -1
    changeable: frozenset[int]  # comments the reader may still edit or delete
    changes_all: bool = False  # moderators: every comment not deleted
    sees_more: bool = False  # sees comments other readers do not: the shared copy won't do

    @property
    def marks_nothing(self) -> bool:
        """Every comment shows `my_vote` 0 and `can_change` false, as in the shared copy."""
        return not (self.votes or self.changeable or self.changes_all)


NOBODY = ViewerState({}, frozenset())
# Comments their author sees and nobody else (models.AUTHOR_ONLY).
UNSHARED = AUTHOR_ONLY


def viewer_state(
    thread: Thread,
    viewer: Viewer | None,
    *,
    edit_window: timedelta,
    now: datetime | None = None,
) -> ViewerState:
    """In two queries: the viewer's votes in `thread`, and their own comments that are
    held or still in the edit window. May change: as `services.comment_can_change`
    decides it (authors within the edit window, staff always, never a deleted comment).
    """
    if viewer is None:
        return NOBODY
    votes = dict(
        Vote.objects.filter(voter_key=viewer.key, comment__thread=thread).values_list(
            "comment_id", "value"
        )
    )
    if viewer.moderates:
        return ViewerState(votes, frozenset(), changes_all=True, sees_more=True)
    since = (now or timezone.now()) - edit_window
    own = Comment.objects.filter(thread=thread, author_key=viewer.key).filter(
        Q(status__in=UNSHARED) | Q(deleted_at__isnull=True, created_at__gt=since)
    )
    changeable, held = set(), False
    for pk, status, deleted_at, created_at in own.values_list(
        "pk", "status", "deleted_at", "created_at"
    ):
        held = held or status in UNSHARED
        if deleted_at is None and created_at > since:
            changeable.add(pk)
    return ViewerState(votes, frozenset(changeable), sees_more=held)
