"""The optional moderation webhook: a JSON POST to MODERATION_WEBHOOK_URL for each batch
of alerts, with a `text` that Slack and Matrix (hookshot) show as it is, and the same
facts as fields for other receivers. Sent by a task after the commit, with a timeout;
each alert is claimed before it is posted, so a task run twice posts it once."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rostra.discussion.alert_mail import comment_admin_url, queue_url
from rostra.discussion.models import ModeratorAlert

logger = logging.getLogger(__name__)
EXCERPT_LENGTH = 200


def _slack_safe(text: str) -> str:
    """Reader text as plain text in Slack's mrkdwn: no links, mentions or markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def webhook_payload(alerts: list[ModeratorAlert]) -> dict:
    comments = [
        {
            "id": alert.comment_id,
            "trigger": alert.trigger,
            "why": str(alert.get_trigger_display()),  # a lazy label once translated
            "status": alert.comment.status,
            "article": str(alert.comment.thread),
            "author": alert.comment.author_name,
            "excerpt": _excerpt(alert.comment.body_source),
            "created_at": alert.comment.created_at.isoformat(),
            "admin_url": comment_admin_url(alert.comment_id),
        }
        for alert in alerts
    ]
    # The text is for the moderators' chat, in the site's language.
    lines = [
        ngettext(
            "%(count)d comment on %(site)s waits for a moderator: %(url)s",
            "%(count)d comments on %(site)s wait for a moderator: %(url)s",
            len(comments),
        )
        % {"count": len(comments), "site": settings.SITE_NAME, "url": queue_url()}
    ]
    lines += [
        # Translators: one line of the chat message: author, article, why, excerpt, link.
        _("• %(author)s on “%(article)s” (%(why)s): %(excerpt)s %(url)s")
        % {
            "author": _slack_safe(c["author"]),
            "article": _slack_safe(c["article"]),
            "why": c["why"],
            "excerpt": _slack_safe(c["excerpt"]),
            "url": c["admin_url"],
        }
        for c in comments
    ]
    return {
        "text": "\n".join(lines),
        "event": "moderation.alert",
        "site": settings.SITE_NAME,
        "queue_url": queue_url(),
        "comments": comments,
    }


def webhook_send(alert_ids: list[int]) -> int:
    """Post the alerts not yet posted; returns how many were. A failed post gives the
    claim back and raises, so the task's next run may try again."""
    url = settings.MODERATION_WEBHOOK_URL
    if not url:
        return 0
    claimed_at = timezone.now()
    claimed = ModeratorAlert.objects.filter(pk__in=alert_ids, webhook_sent_at=None)
    ids = list(claimed.values_list("pk", flat=True))
    ModeratorAlert.objects.filter(pk__in=ids, webhook_sent_at=None).update(
        webhook_sent_at=claimed_at
    )
    alerts = list(
        ModeratorAlert.objects.filter(pk__in=ids, webhook_sent_at=claimed_at)
        .select_related("comment__thread")
        .order_by("pk")
    )
    if not alerts:
        return 0
    request = urllib.request.Request(  # noqa: S310 - the operator's own https/http URL
        url,
        data=json.dumps(webhook_payload(alerts)).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Rostra moderation alerts"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.MODERATION_WEBHOOK_TIMEOUT
        ) as response:
            response.read(1024)
    except Exception:
        ModeratorAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(webhook_sent_at=None)
        logger.warning("moderation webhook failed for %d alert(s)", len(alerts), exc_info=True)
        raise
    return len(alerts)
