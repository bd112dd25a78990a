"""Moderators' alert e-mails, sent by tasks after the commit (never in a transaction):
one for each alert to moderators who chose that, and hourly digests. Each lists the
comments with signed Approve / Reject links of the recipient's own."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from rostra.core.email import send_email_once
from rostra.discussion.alert_links import alert_link_url
from rostra.discussion.models import (
    AlertFrequency,
    CommentStatus,
    ModerationTrigger,
    ModeratorAlert,
    ModeratorAlertPreference,
)
from rostra.discussion.selectors.alerts import alert_recipients

DIGEST_PERIOD = timedelta(hours=1)


def still_waiting(alert: ModeratorAlert) -> bool:
    """Whether a moderator still has something to decide: held, or reported and shown."""
    comment = alert.comment
    if comment.is_deleted:
        return False
    if alert.trigger == ModerationTrigger.REPORT:
        return comment.status in (CommentStatus.PENDING, CommentStatus.APPROVED)
    return comment.status == CommentStatus.PENDING


def _alerts(**filters) -> list[ModeratorAlert]:
    alerts = ModeratorAlert.objects.filter(**filters).select_related("comment__thread")
    return [alert for alert in alerts.order_by("created_at", "pk") if still_waiting(alert)]


def comment_admin_url(comment_id: int) -> str:
    return settings.BASE_URL + reverse("wagtailsnippets_discussion_comment:edit", args=[comment_id])


def queue_url() -> str:
    return settings.BASE_URL + reverse("wagtailsnippets_discussion_comment:list")


def _items(alerts, moderator) -> list[dict]:
    return [
        {
            "alert": alert,
            "comment": alert.comment,
            "why": alert.get_trigger_display(),
            "approve_url": alert_link_url(
                moderator_id=moderator.pk, comment_id=alert.comment_id, action="approve"
            ),
            "reject_url": alert_link_url(
                moderator_id=moderator.pk, comment_id=alert.comment_id, action="reject"
            ),
            "admin_url": comment_admin_url(alert.comment_id),
        }
        for alert in alerts
    ]


def _context(items: list[dict]) -> dict:
    days = settings.MODERATOR_ALERT_LINK_MAX_AGE.days
    return {"items": items, "queue_url": queue_url(), "link_days": days}


def alert_emails_send(alert_ids: list[int], *, owner: str) -> int:
    """An e-mail per alert to each moderator who chose one for each (once each, however
    often it runs); nothing for a comment already decided."""
    alerts = _alerts(pk__in=alert_ids)
    sent = 0
    for moderator in alert_recipients(AlertFrequency.EACH) if alerts else []:
        for alert in alerts:
            sent += send_email_once(
                key=f"moderator-alert:{alert.pk}",
                owner=owner,
                to=moderator.email,
                template="discussion/email/moderator_alert",
                context=_context(_items([alert], moderator)),
            )
    return sent


def digests_send(now, *, owner: str) -> int:
    """Each hourly-digest moderator's digest of the alerts since their last one, up to
    the last full hour; safe to run twice (the second finds nothing new)."""
    end = now.replace(minute=0, second=0, microsecond=0)
    sent = 0
    for moderator in alert_recipients(AlertFrequency.HOURLY):
        preference = moderator.moderator_alerts
        start = preference.digest_until or end - DIGEST_PERIOD
        if start >= end:
            continue
        alerts = _alerts(created_at__gte=start, created_at__lt=end)
        if alerts:
            sent += send_email_once(
                key=f"moderator-digest:{moderator.pk}:{end.isoformat()}",
                owner=owner,
                to=moderator.email,
                template="discussion/email/moderator_digest",
                context=_context(_items(alerts, moderator)),
            )
        ModeratorAlertPreference.objects.filter(pk=preference.pk).update(digest_until=end)
    return sent


def next_digest_after(now) -> timedelta:
    """From `now` to a minute past the next full hour, when the next digest is due."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + DIGEST_PERIOD
    return next_hour + timedelta(minutes=1) - now
