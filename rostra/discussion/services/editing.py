"""Authors editing and deleting their comments (staff may too, at any time)."""

from django.db import transaction
from django.utils import timezone

from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment
from rostra.discussion.policy import Policy
from rostra.discussion.services.access import comment_can_change
from rostra.discussion.services.cleaning import clean_body
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.text import render_markdown
from rostra.discussion.versions import thread_version_bump


def _check_can_change(comment, viewer, policy, now):
    if comment.is_deleted:
        raise DiscussionError("This comment has been deleted.", status=404)
    if viewer is None or (comment.author_key != viewer.key and not viewer.is_staff):
        raise DiscussionError("You can only change your own comments.", status=403)
    if not comment_can_change(comment, viewer, policy, now=now):
        minutes = int(policy.edit_window.total_seconds() // 60)
        raise DiscussionError(
            f"Comments can be changed for {minutes} minutes after posting; this one can "
            "no longer be changed.",
            status=403,
        )


def comment_edit(
    *, comment: Comment, viewer: Viewer | None, policy: Policy, body: str, now=None
) -> Comment:
    now = now or timezone.now()
    _check_can_change(comment, viewer, policy, now)
    body = clean_body(body, policy)
    comment.body_source = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    with transaction.atomic():
        comment.save(update_fields=["body_source", "body_html", "edited_at"])
        thread_version_bump(comment.thread_id)
    return comment


def comment_delete(*, comment: Comment, viewer: Viewer | None, policy: Policy, now=None) -> None:
    """Soft-delete: the text goes, a tombstone stays while replies hang under it."""
    now = now or timezone.now()
    _check_can_change(comment, viewer, policy, now)
    comment.deleted_at = now
    comment.body_source = ""
    comment.body_html = ""
    with transaction.atomic():
        comment.save(update_fields=["deleted_at", "body_source", "body_html"])
        thread_version_bump(comment.thread_id)
