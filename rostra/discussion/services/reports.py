"""Readers reporting a comment: one report per reader and comment, rate-limited; enough
distinct readers' open reports hold a published comment for a moderator. A report of
illegal content is a notice (EU Digital Services Act): it needs the reporter's
explanation and e-mail address, and is acknowledged by e-mail after the commit."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core.ratelimit import limit_exceeded
from rostra.core.tasks import enqueue_on_commit
from rostra.core.text import has_lone_surrogate
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    DecisionAction,
    HoldReason,
    ModerationDecision,
    ModerationTrigger,
    Report,
    ReportReason,
)
from rostra.discussion.policy import Policy
from rostra.discussion.services.access import comment_is_visible
from rostra.discussion.services.alerts import moderators_alert
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.moderation import statuses_set
from rostra.discussion.tasks import report_acknowledgement_send
from rostra.discussion.text import normalise

MAX_NOTE_LENGTH = 2000
MAX_EXPLANATION_LENGTH = 5000


@dataclass(frozen=True)
class ReportOutcome:
    """The reader's report; `created` False when they had reported it before (nothing
    changed); `held` when this report held the comment."""

    report: Report
    created: bool
    held: bool = False

    @property
    def message(self) -> str:
        if not self.created:
            return _("You have already reported this comment. A moderator will look at it.")
        return _("Thanks, a moderator will look at it.")


def comment_report(
    *,
    comment: Comment,
    viewer: Viewer | None,
    policy: Policy,
    reason: str,
    note: str = "",
    explanation: str = "",
    email: str = "",
    now: datetime | None = None,
) -> ReportOutcome:
    """Record `viewer`'s report of `comment` (which they must be able to see published)."""
    if viewer is None:
        raise DiscussionError(_("Please enable cookies to report a comment."), status=403)
    # Own comments first: a shadow-banned author must not learn that theirs is hidden.
    if comment.author_key == viewer.key:
        raise DiscussionError(_("You cannot report your own comment."), status=403)
    if not comment_is_visible(comment, viewer) or not comment.is_visible_to_all:
        raise DiscussionError(_("This comment is not shown, so it cannot be reported."), status=404)
    reason, note, explanation, email = _cleaned(reason, note, explanation, email)
    earlier = Report.objects.filter(comment=comment, reporter_key=viewer.key).first()
    if earlier is not None:
        return ReportOutcome(earlier, created=False)
    count, seconds = policy.report_rate_limit
    if any(
        limit_exceeded("report", key, count=count, seconds=seconds)
        for key in {viewer.key, viewer.ip_hash or viewer.key}
    ):
        raise DiscussionError(
            _(
                "You have sent many reports in a short time. Please wait a while before "
                "reporting again."
            ),
            status=429,
        )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment,
                reporter_key=viewer.key,
                reason=reason,
                note=note,
                explanation=explanation,
                reporter_email=email,
                created_at=now,
            )
            held = _hold_when_reported_enough(comment, policy, now)
            moderators_alert([comment.pk], ModerationTrigger.REPORT, now=now)
            if report.reason == ReportReason.ILLEGAL:
                enqueue_on_commit(report_acknowledgement_send, report_id=report.pk)
    except IntegrityError:  # the same reader's report, sent twice at once
        earlier = Report.objects.get(comment=comment, reporter_key=viewer.key)
        return ReportOutcome(earlier, created=False)
    return ReportOutcome(report, created=True, held=held)


def _cleaned(reason: str, note: str, explanation: str, email: str) -> tuple[str, str, str, str]:
    if reason not in ReportReason.values:
        choices = ", ".join(ReportReason.values)
        raise DiscussionError(
            _("Please choose a reason (%(choices)s).") % {"choices": choices}, field="reason"
        )
    note = normalise(note or "")
    for field, text in (("note", note), ("explanation", explanation or "")):
        if has_lone_surrogate(text):
            raise DiscussionError(
                _(
                    "Your text contains a broken character (often half of an emoji) that "
                    "cannot be saved. Please delete it or type it again."
                ),
                field=field,
            )
    if len(note) > MAX_NOTE_LENGTH:
        raise DiscussionError(
            _("Please keep the note under %(limit)s characters.")
            % {"limit": f"{MAX_NOTE_LENGTH:,}"},
            field="note",
        )
    explanation, email = normalise(explanation or ""), (email or "").strip()
    if reason != ReportReason.ILLEGAL:
        return reason, note, "", ""
    if not explanation:
        raise DiscussionError(
            _("Please explain why you think this comment is illegal."), field="explanation"
        )
    if len(explanation) > MAX_EXPLANATION_LENGTH:
        raise DiscussionError(
            _("Please keep the explanation under %(limit)s characters.")
            % {"limit": f"{MAX_EXPLANATION_LENGTH:,}"},
            field="explanation",
        )
    try:
        EmailValidator()(email)
    except ValidationError:
        raise DiscussionError(
            _("Please give an e-mail address: we confirm your notice and tell you our decision."),
            field="email",
        ) from None
    return reason, note, explanation, email


def _hold_when_reported_enough(comment: Comment, policy: Policy, now: datetime) -> bool:
    """Hold the published comment once `policy.reports_to_hold` distinct readers have
    open reports on it: Rostra's own decision, logged with the trigger "report"."""
    if not policy.reports_to_hold:
        return False
    open_reports = Report.objects.filter(comment=comment, resolved_by__isnull=True)
    reporters = open_reports.count()
    if reporters < policy.reports_to_hold:
        return False
    still_published = Comment.objects.filter(
        pk=comment.pk, status=CommentStatus.APPROVED, deleted_at__isnull=True
    )
    if not still_published.exists():
        return False
    reasons = sorted(
        {ReportReason(r).label.lower() for r in open_reports.values_list("reason", flat=True)}
    )
    statuses_set(
        [comment.pk],
        status=CommentStatus.PENDING,
        trigger=ModerationTrigger.REPORT,
        now=now,
        note=f"Reported by {reporters} readers: {', '.join(reasons)}.",
        held_because=HoldReason.REVIEW,
    )
    return True


def report_restore(
    *,
    comment_id: int,
    reporter_key: str,
    reason: str,
    note: str = "",
    explanation: str = "",
    email: str = "",
    created_at: datetime,
    resolved: bool = False,
) -> bool:
    """A report from an archive, as it was (no hold, no e-mail): True when created,
    False when that reader's report of the comment is there already. A resolved report
    is answered by the comment's last decision when the site has one (the decision log
    restored with it), else it stays open for a moderator."""
    if reason not in ReportReason.values:
        raise DiscussionError(_("Unknown reason %(reason)r.") % {"reason": reason}, field="reason")
    if Report.objects.filter(comment_id=comment_id, reporter_key=reporter_key[:80]).exists():
        return False
    decided = None
    if resolved:
        decided = (
            ModerationDecision.objects.filter(comment_id=comment_id, action=DecisionAction.STATUS)
            .order_by("decided_at", "pk")
            .last()
        )
    Report.objects.create(
        comment_id=comment_id,
        reporter_key=reporter_key[:80],
        reason=reason,
        note=note,
        explanation=explanation,
        reporter_email=email[:254],
        created_at=created_at,
        resolved_by=decided,
    )
    return True
