"""Staff deciding what readers see: comment status, and open or closed discussions."""

from django.db import transaction

from rostra.core import events
from rostra.discussion.events import CommentPublished
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus, Thread
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.versions import (
    thread_version_bump,
    thread_version_bump_for_comments,
)


def comment_moderate(*, comments, viewer: Viewer, status: str) -> int:
    """Set the moderation status of one or many comments; staff only."""
    if not viewer.is_staff:
        raise DiscussionError("Only staff can moderate comments.", status=403)
    if status not in CommentStatus.values:
        raise DiscussionError(f"Unknown status {status!r}.", field="status")
    ids = [c.pk if isinstance(c, Comment) else int(c) for c in comments]
    with transaction.atomic():
        newly_public = []
        if status == CommentStatus.APPROVED:
            newly_public = list(
                Comment.objects.filter(pk__in=ids, deleted_at__isnull=True)
                .exclude(status=CommentStatus.APPROVED)
                .values_list("pk", "thread_id")
            )
        count = Comment.objects.filter(pk__in=ids).update(status=status)
        thread_version_bump_for_comments(ids)
        for comment_id, thread_id in newly_public:
            events.publish(CommentPublished(comment_id, thread_id))
    return count


def thread_set_closed(*, thread: Thread, viewer: Viewer, closed: bool) -> Thread:
    if not viewer.is_staff:
        raise DiscussionError("Only staff can open or close a discussion.", status=403)
    thread.is_closed = closed
    with transaction.atomic():
        thread.save(update_fields=["is_closed"])
        thread_version_bump(thread.pk)
    return thread
