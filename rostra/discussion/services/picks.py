"""Editor's picks: staff feature a published comment (an "Editor's pick" mark and the
picks tab) and pin one top-level comment of a thread above every order. Both are
visible to every reader, so each change moves the thread's version; each is a decision
in the comment's log (who, when, pick or unpick, pin or unpin)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    DecisionAction,
    ModerationDecision,
    ModerationTrigger,
    Thread,
)
from rostra.discussion.permissions import PICK
from rostra.discussion.services.decisions import decision
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.versions import thread_version_bump


def _check(viewer: Viewer, comment: Comment, *, forbidden: str, unpublished: str) -> None:
    """Refuse with `forbidden` a reader who may not pick, with `unpublished` a comment
    not published (whole sentences, for translators)."""
    if not viewer.may(PICK):
        raise DiscussionError(forbidden, status=403)
    if comment.status != CommentStatus.APPROVED or comment.is_deleted:
        raise DiscussionError(unpublished)


def _log(entries: list[tuple[int, str, str, str]], viewer: Viewer, now: datetime) -> None:
    """Log each (comment id, its author key, its status, DecisionAction) as a decision
    of `viewer` that leaves the status as it is."""
    ModerationDecision.objects.bulk_create(
        decision(
            comment_id=pk,
            author_key=author_key,
            from_status=status,
            to_status=status,
            trigger=ModerationTrigger.MODERATOR,
            now=now,
            viewer=viewer,
            action=action,
        )
        for pk, author_key, status, action in entries
    )


def comment_pick(
    *, comment: Comment, viewer: Viewer, picked: bool = True, now: datetime | None = None
) -> Comment:
    """Feature `comment` as an editor's pick (or stop featuring it)."""
    if picked:
        _check(
            viewer,
            comment,
            forbidden=_("You do not have permission to pick comments."),
            unpublished=_("Only published comments can be picked."),
        )
    elif not viewer.may(PICK):
        raise DiscussionError(_("You do not have permission to pick comments."), status=403)
    now = now or timezone.now()
    with transaction.atomic():
        was_picked = comment.picked_at is not None
        comment.picked_at = now if picked else None
        Comment.objects.filter(pk=comment.pk).update(picked_at=comment.picked_at)
        thread_version_bump(comment.thread_id)
        if picked != was_picked:
            action = DecisionAction.PICK if picked else DecisionAction.UNPICK
            _log([(comment.pk, comment.author_key, comment.status, action)], viewer, now)
    return comment


def comment_pin(
    *, comment: Comment, viewer: Viewer, pinned: bool = True, now: datetime | None = None
) -> Thread:
    """Pin `comment` (top-level) to the top of its thread, replacing the one pinned
    before; or unpin it."""
    if pinned:
        _check(
            viewer,
            comment,
            forbidden=_("You do not have permission to pin comments."),
            unpublished=_("Only published comments can be pinned."),
        )
        if comment.depth != 0:
            raise DiscussionError(
                _("Only top-level comments can be pinned; pin the one it answers.")
            )
    elif not viewer.may(PICK):
        raise DiscussionError(_("You do not have permission to pin comments."), status=403)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=comment.thread_id)
        before = thread.pinned_comment_id
        if pinned:
            thread.pinned_comment_id = comment.pk
        elif thread.pinned_comment_id == comment.pk:
            thread.pinned_comment_id = None
        thread.save(update_fields=["pinned_comment"])
        thread_version_bump(thread.pk)
        if before != thread.pinned_comment_id:
            changed = {before: DecisionAction.UNPIN, thread.pinned_comment_id: DecisionAction.PIN}
            rows = Comment.objects.filter(pk__in=[pk for pk in changed if pk]).order_by("pk")
            _log(
                [
                    (pk, author_key, status, changed[pk])
                    for pk, author_key, status in rows.values_list("pk", "author_key", "status")
                ],
                viewer,
                now or timezone.now(),
            )
    return thread
