"""Who may see a comment, and who may still change it."""

from datetime import datetime

from django.utils import timezone

from rostra.discussion.identity import Viewer
from rostra.discussion.models import AUTHOR_ONLY, Comment, CommentStatus
from rostra.discussion.policy import Policy


def comment_is_visible(comment: Comment, viewer: Viewer | None) -> bool:
    if comment.status == CommentStatus.APPROVED:
        return True
    if viewer is None:
        return False
    if comment.status in AUTHOR_ONLY:
        return viewer.moderates or comment.author_key == viewer.key
    return viewer.moderates


def comment_can_change(
    comment: Comment, viewer: Viewer | None, policy: Policy, *, now: datetime | None = None
) -> bool:
    """Authors may edit or delete within the edit window; moderators always."""
    if viewer is None or comment.is_deleted:
        return False
    if viewer.moderates:
        return True
    if comment.author_key != viewer.key:
        return False
    return (now or timezone.now()) < comment.created_at + policy.edit_window
