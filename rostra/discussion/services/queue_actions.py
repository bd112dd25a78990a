"""One click in the moderation queue: approve ("not spam" when the filter held it),
mark spam, remove, or ban the commenter (for the settings' queue ban length, 7 days
unless changed, by their identity, removing the comment); and its Undo, within the
settings' undo window (8 seconds unless changed). Each is a decision in the log, Undo
too: it sets the status back, reopens the reports the click answered and lifts the ban
it made."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Ban,
    BanDuration,
    Comment,
    CommentStatus,
    DecisionAction,
    ModerationDecision,
    ModerationReason,
    ModerationTrigger,
    Report,
)
from rostra.discussion.permissions import BAN, LIFT_BAN, MODERATE
from rostra.discussion.services.bans import ban_lift, commenter_ban
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.moderation import comment_moderate
from rostra.discussion.services.report_answers import UNDO_GRACE

# action: (status, preset reason, note for the log, what the row says after); the note
# is written in the site's language of the moment, as the moderator would type it.
ACTIONS = {
    "approve": (CommentStatus.APPROVED, "", "", gettext_lazy("Approved")),
    "not-spam": (
        CommentStatus.APPROVED,
        "",
        gettext_lazy("Not spam"),
        gettext_lazy("Approved as not spam"),
    ),
    "spam": (CommentStatus.SPAM, ModerationReason.SPAM, "", gettext_lazy("Marked as spam")),
    "remove": (CommentStatus.REMOVED, "", "", gettext_lazy("Removed")),
    "ban": (CommentStatus.REMOVED, "", "", ""),  # note and label name the ban's length
}


@dataclass(frozen=True)
class QueueOutcome:
    """What a click did: its decision (for Undo), the bans it made, what to say."""

    decision_id: int
    label: str
    ban_ids: list[int] = field(default_factory=list)


def queue_act(
    *, comment: Comment, viewer: Viewer, action: str, ban_duration: str = BanDuration.WEEK
) -> QueueOutcome:
    """Decide on `comment` as the queue's button `action` says; Ban keeps its author
    out for `ban_duration` (a BanDuration)."""
    if action not in ACTIONS:
        raise DiscussionError(_("Unknown action %(action)r.") % {"action": action}, field="action")
    if action == "ban" and not viewer.may(BAN):
        raise DiscussionError(_("You do not have permission to ban commenters."), status=403)
    status, reason, note, label = ACTIONS[action]
    if action == "ban":
        length = BanDuration(ban_duration).label
        note = _("Commenter banned (%(length)s)") % {"length": length}
        label = _("Removed; commenter banned (%(length)s)") % {"length": length}
    now = timezone.now()
    with transaction.atomic():
        bans = []
        if action == "ban":
            bans = commenter_ban(
                comment=comment,
                viewer=viewer,
                kinds=["identity"],
                duration=ban_duration,
                reason=_("Banned from the moderation queue."),
                now=now,
            )
        comment_moderate(
            comments=[comment],
            viewer=viewer,
            status=status,
            reason=reason,
            note=str(note),
            trigger=ModerationTrigger.BAN if bans else ModerationTrigger.MODERATOR,
            now=now,
        )
        entry = ModerationDecision.objects.filter(comment=comment).latest("decided_at", "pk")
    return QueueOutcome(entry.pk, str(label), [ban.pk for ban in bans])


def queue_undo(
    *,
    decision_id: int,
    viewer: Viewer,
    ban_ids=(),
    undo_window: timedelta = timedelta(seconds=8),
    now: datetime | None = None,
) -> ModerationDecision:
    """Undo a click within `undo_window` (and UNDO_GRACE): the comment's status as it
    was (a new decision), the reports that decision answered open again, the bans it
    made lifted. Later, its e-mails may have gone: it is a new decision to take."""
    if not viewer.may(MODERATE):
        raise DiscussionError(_("You do not have permission to moderate comments."), status=403)
    undone = ModerationDecision.objects.filter(
        pk=decision_id,
        trigger__in=[ModerationTrigger.MODERATOR, ModerationTrigger.BAN],
        action=DecisionAction.STATUS,
    ).first()
    if undone is None or not undone.from_status:
        raise DiscussionError(_("There is no such decision to undo."), status=404)
    if (now or timezone.now()) > undone.decided_at + undo_window + UNDO_GRACE:
        raise DiscussionError(
            _("It is too late to undo this decision; decide on the comment again instead."),
            status=409,
        )
    bans = list(Ban.objects.filter(pk__in=ban_ids, value=undone.author_key))
    if bans and not viewer.may(LIFT_BAN):
        raise DiscussionError(_("You do not have permission to lift bans."), status=403)
    with transaction.atomic():
        comment_moderate(
            comments=[undone.comment_id],
            viewer=viewer,
            status=undone.from_status,
            note=_("Undo: back to %(status)s.")
            % {"status": str(undone.get_from_status_display()).lower()},
        )
        Report.objects.filter(resolved_by=undone).update(resolved_by=None)
        for ban in bans:
            ban_lift(ban=ban, viewer=viewer)
    return ModerationDecision.objects.filter(comment_id=undone.comment_id).latest(
        "decided_at", "pk"
    )
