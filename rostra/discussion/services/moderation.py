"""Staff deciding what readers see: comment status, and open or closed discussions."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from rostra.core import events
from rostra.core.tasks import enqueue_on_commit_after
from rostra.discussion.events import CommentPublished
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationReason,
    ModerationTrigger,
    Thread,
)
from rostra.discussion.permissions import EDIT_THREAD, MODERATE
from rostra.discussion.services.decisions import decision
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.report_answers import decision_mail_delay, reports_resolve
from rostra.discussion.tasks import statement_of_reasons_send
from rostra.discussion.versions import thread_version_bump

REJECTED = (CommentStatus.SPAM, CommentStatus.REMOVED)


def comment_moderate(
    *,
    comments,
    viewer: Viewer,
    status: str,
    reason: str = "",
    note: str = "",
    trigger: str = ModerationTrigger.MODERATOR,
    now: datetime | None = None,
) -> int:
    """Set the moderation status of one or many comments; moderators only.

    Each comment's decision is logged (who, from which status to which, the preset
    `reason` and free-text `note`, what set it off) with one insert, in the same
    transaction. Once the queue's undo window has passed after the commit, authors of
    rejected comments who left an e-mail address are sent the reason when the site
    gives a statement of reasons and the decision still stands."""
    if not viewer.may(MODERATE):
        raise DiscussionError(
            gettext("You do not have permission to moderate comments."), status=403
        )
    if status not in CommentStatus.values:
        raise DiscussionError(
            gettext("Unknown status %(status)r.") % {"status": status}, field="status"
        )
    if reason and reason not in ModerationReason.values:
        raise DiscussionError(
            gettext("Unknown reason %(reason)r.") % {"reason": reason}, field="reason"
        )
    if trigger not in ModerationTrigger.values:
        raise DiscussionError(
            gettext("Unknown trigger %(trigger)r.") % {"trigger": trigger}, field="trigger"
        )
    ids = [c.pk if isinstance(c, Comment) else int(c) for c in comments]
    with transaction.atomic():
        log = statuses_set(
            ids,
            status=status,
            trigger=trigger,
            now=now or timezone.now(),
            viewer=viewer,
            reason=reason,
            note=note,
        )
    return len(log)


def statuses_set(
    ids,
    *,
    status: str,
    trigger: str,
    now: datetime,
    viewer: Viewer | None = None,
    reason: str = "",
    note: str = "",
    held_because: str = "",
) -> list[ModerationDecision]:
    """The write behind every status change, inside the caller's transaction, with no
    permission check: `comment_moderate` for moderators, readers' reports for the hold
    they set off (Rostra's own decision). Returns the decisions logged."""
    before = list(
        Comment.objects.select_for_update()
        .filter(pk__in=ids)
        .values_list("pk", "thread_id", "status", "author_key", "deleted_at")
    )
    changes = {"status": status}
    if status == CommentStatus.PENDING and held_because:
        changes["held_because"] = held_because
    Comment.objects.filter(pk__in=ids).update(**changes)
    thread_version_bump(*{thread_id for _, thread_id, *_ in before})
    log = ModerationDecision.objects.bulk_create(
        decision(
            comment_id=pk,
            author_key=author_key,
            from_status=old,
            to_status=status,
            trigger=trigger,
            now=now,
            viewer=viewer,
            reason=reason,
            note=note,
        )
        for pk, _, old, author_key, _ in before
    )
    for pk, thread_id, old, _, deleted_at in before:
        if status == CommentStatus.APPROVED and old != status and deleted_at is None:
            events.publish(CommentPublished(pk, thread_id))
    rejected = [entry.pk for entry in log if status in REJECTED and entry.from_status != status]
    if rejected:
        enqueue_on_commit_after(
            decision_mail_delay(), statement_of_reasons_send, decision_ids=rejected
        )
    if trigger == ModerationTrigger.MODERATOR:
        reports_resolve(log)
    return log


def thread_set_closed(*, thread: Thread, viewer: Viewer, closed: bool) -> Thread:
    if not viewer.may(EDIT_THREAD):
        raise DiscussionError(
            gettext("You do not have permission to open or close a discussion."), status=403
        )
    thread.is_closed = closed
    with transaction.atomic():
        thread.save(update_fields=["is_closed"])
        thread_version_bump(thread.pk)
    return thread
