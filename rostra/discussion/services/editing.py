"""Authors editing and deleting their comments (staff may too, at any time)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.policy import Policy
from rostra.discussion.services.access import comment_can_change
from rostra.discussion.services.alerts import moderators_alert
from rostra.discussion.services.bans import ban_check
from rostra.discussion.services.cleaning import clean_body
from rostra.discussion.services.decisions import decision
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.screening import SHADOW_BANNED, Submission, screen_edit
from rostra.discussion.text import render_markdown
from rostra.discussion.versions import thread_version_bump


def _check_can_change(comment, viewer, policy, now):
    if comment.is_deleted:
        raise DiscussionError(_("This comment has been deleted."), status=404)
    if viewer is None or (comment.author_key != viewer.key and not viewer.moderates):
        raise DiscussionError(_("You can only change your own comments."), status=403)
    if not comment_can_change(comment, viewer, policy, now=now):
        minutes = int(policy.edit_window.total_seconds() // 60)
        raise DiscussionError(
            ngettext(
                "Comments can be changed for %(minutes)s minute after posting; this one "
                "can no longer be changed.",
                "Comments can be changed for %(minutes)s minutes after posting; this one "
                "can no longer be changed.",
                minutes,
            )
            % {"minutes": minutes},
            status=403,
        )


def comment_edit(
    *, comment: Comment, viewer: Viewer | None, policy: Policy, body: str, now=None
) -> Comment:
    """Change the text; it is screened as a new one for terms and links (a banned term
    refuses the edit, a suspect term or too many links hold the comment again)."""
    now = now or timezone.now()
    _check_can_change(comment, viewer, policy, now)
    body = clean_body(body, policy)
    body_html = render_markdown(body)
    # Only the text changes: the name and website were screened when posted.
    hold = screen_edit(viewer=viewer, policy=policy, submission=Submission(body, body_html))
    shadowed = comment.author_key == viewer.key and ban_check(viewer, comment.author_email, now)
    comment.body_source = body
    comment.body_html = body_html
    comment.edited_at = now
    changed = ["body_source", "body_html", "edited_at"]
    held_from = comment.status
    if shadowed and comment.status in (CommentStatus.APPROVED, CommentStatus.PENDING):
        hold, comment.status = SHADOW_BANNED, CommentStatus.SHADOWED
        changed += ["status"]
    elif hold is not None and comment.status == CommentStatus.APPROVED:
        comment.status, comment.held_because = CommentStatus.PENDING, hold.reason
        changed += ["status", "held_because"]
    with transaction.atomic():
        comment.save(update_fields=changed)
        thread_version_bump(comment.thread_id)
        if "status" in changed:
            decision(
                comment_id=comment.pk,
                author_key=comment.author_key,
                from_status=held_from,
                to_status=comment.status,
                trigger=hold.trigger,
                note=f"edited: {hold.note}",
                now=now,
            ).save()
            if comment.status == CommentStatus.PENDING:
                moderators_alert([comment.pk], hold.trigger, now=now)
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
