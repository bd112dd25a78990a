"""Background work of the discussion."""

from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task

from rostra.core import queues
from rostra.core.email import send_email_once
from rostra.core.tasks import run_id, schedule_unless_waiting
from rostra.discussion.inline import anchors_follow_article
from rostra.discussion.models import DecisionAction, ModerationDecision, Report
from rostra.discussion.selectors.site import site_policy
from rostra.publishing.models import ArticlePage


@task(queue_name=queues.DEFAULT)
def reanchor_task(*, article_id: int, revision_id: int | None = None) -> dict:
    """After a new revision is published: move passage comments with their passages."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return {}
    return dict(anchors_follow_article(article, revision_id=revision_id))


def _still_standing(rows, decision: str = ""):
    """`rows` whose decision (`decision` is the path to it) still stands: no later
    status decision about its comment (an Undo is one), and the comment still has the
    status it set. Decision e-mails are sent only for those."""
    later = ModerationDecision.objects.filter(
        comment_id=OuterRef(f"{decision}comment_id"),
        action=DecisionAction.STATUS,
        pk__gt=OuterRef(f"{decision}pk"),
    )
    return rows.alias(overruled=Exists(later)).filter(
        overruled=False, comment__status=F(f"{decision}to_status")
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def statement_of_reasons_send(context, *, decision_ids: list[int]) -> int:
    """Tell the authors of rejected comments why, when the site gives a statement of
    reasons (read when the task runs: switching it off stops what is still queued).
    Enqueued to run once the queue's Undo is gone; an undone decision sends nothing.
    Each decision's e-mail goes once, however often the task runs."""
    if not site_policy().statement_of_reasons:
        return 0
    decisions = _still_standing(
        ModerationDecision.objects.filter(pk__in=decision_ids)
        .exclude(comment__author_email="")
        .select_related("comment__thread")
    )
    return sum(
        send_email_once(
            key=f"reasons:{entry.pk}",
            owner=run_id(context),
            template="discussion/email/statement_of_reasons",
            context={"decision": entry, "comment": entry.comment},
            to=entry.comment.author_email,
        )
        for entry in decisions
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def report_acknowledgement_send(context, *, report_id: int) -> int:
    """Confirm a notice of illegal content to its reporter, once."""
    report = Report.objects.filter(pk=report_id).select_related("comment__thread").first()
    if report is None or not report.reporter_email:
        return 0
    return send_email_once(
        key=f"report-received:{report.pk}",
        owner=run_id(context),
        template="discussion/email/report_received",
        context={"report": report, "comment": report.comment},
        to=report.reporter_email,
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def report_decision_send(context, *, report_ids: list[int]) -> int:
    """Tell each reporter of illegal content what the moderators decided, once per
    report and decision, when the decision still stands (the task is enqueued to run
    once the queue's Undo is gone: an undone decision reopens the report)."""
    reports = _still_standing(
        Report.objects.filter(pk__in=report_ids, resolved_by__isnull=False)
        .exclude(reporter_email="")
        .select_related("comment__thread", "resolved_by"),
        "resolved_by__",
    )
    return sum(
        send_email_once(
            key=f"report-decided:{report.pk}:{report.resolved_by_id}",
            owner=run_id(context),
            template="discussion/email/report_decided",
            context={"report": report, "comment": report.comment, "decision": report.resolved_by},
            to=report.reporter_email,
        )
        for report in reports
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def moderator_alerts_task(context, *, alert_ids: list[int]) -> int:
    """E-mail moderators who want one for each alert (each once)."""
    from rostra.discussion.alert_mail import alert_emails_send

    return alert_emails_send(alert_ids, owner=run_id(context))


@task(queue_name=queues.DEFAULT)
def moderation_webhook_task(*, alert_ids: list[int]) -> int:
    """Post the alerts to the moderation webhook (each once)."""
    from rostra.discussion.alert_webhook import webhook_send

    return webhook_send(alert_ids)


@task(queue_name=queues.EMAIL, takes_context=True)
def moderator_digest_task(context) -> int:
    """Send the hourly digests due, then come back a minute past the next hour."""
    from rostra.discussion.alert_mail import digests_send, next_digest_after

    now = timezone.now()
    sent = digests_send(now, owner=run_id(context))
    schedule_moderator_digest(after=next_digest_after(now))
    return sent


def schedule_moderator_digest(*, after=None) -> None:
    """Queue the next digest run unless one is already waiting (the worker calls this
    when it starts, through the `rostra_schedule` app hook)."""
    schedule_unless_waiting(moderator_digest_task, after=after)
