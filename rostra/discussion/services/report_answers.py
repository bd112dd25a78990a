"""Answering readers' reports: a moderator's decision on a comment resolves its open
reports, and each reporter of illegal content (a notice under the EU Digital Services
Act) is e-mailed the decision once it can no longer be undone."""

from datetime import timedelta

from rostra.core.tasks import enqueue_on_commit_after
from rostra.discussion.models import ModerationDecision, Report, ReportReason
from rostra.discussion.selectors.site import site_policy
from rostra.discussion.tasks import report_decision_send

# Undo is taken a little after the window the queue shows (a click on its last moment
# still on its way); decision e-mails wait out both.
UNDO_GRACE = timedelta(seconds=5)


def decision_mail_delay() -> timedelta:
    """How long after a decision its e-mails wait: until the queue's Undo is gone. The
    task then sends only what still stands, so an undone decision sends nothing."""
    return site_policy().undo_window + UNDO_GRACE


def reports_resolve(log: list[ModerationDecision]) -> None:
    """Mark the open reports of each decided comment as answered by its decision (one
    UPDATE per comment that has open reports, found with one query)."""
    by_comment = {entry.comment_id: entry for entry in log}
    reported = set(
        Report.objects.filter(comment_id__in=by_comment, resolved_by__isnull=True)
        .values_list("comment_id", flat=True)
        .distinct()
    )
    notices = []
    for comment_id in reported:
        entry = by_comment[comment_id]
        open_reports = Report.objects.filter(comment_id=comment_id, resolved_by__isnull=True)
        notices += open_reports.filter(reason=ReportReason.ILLEGAL).values_list("pk", flat=True)
        open_reports.update(resolved_by=entry)
    if notices:
        enqueue_on_commit_after(
            decision_mail_delay(), report_decision_send, report_ids=sorted(notices)
        )
