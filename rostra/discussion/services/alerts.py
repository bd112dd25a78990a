"""Moderators alerted when a comment is held or reported, and what they answer from the
alert e-mail.

`moderators_alert(comment_ids, trigger)` is the one entry point: every path that holds
a comment (screening, the spam filter, an edit) calls it, and so does the report
threshold. It records a `ModeratorAlert` per comment in the caller's transaction and,
after the commit, queues the e-mails of moderators who chose one for each alert and the
webhook (MODERATION_WEBHOOK_URL); hourly digests are sent by the worker
(`tasks.moderator_digest_task`).

An alert e-mail's Approve / Reject links act without signing in, once each, as the
moderator they were sent to, through `comment_moderate` (which checks that moderator's
permission) with the trigger "email".
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core.tasks import enqueue_on_commit
from rostra.discussion.alert_links import AlertLink, AlertLinkError, alert_link_read
from rostra.discussion.identity import staff_viewer
from rostra.discussion.models import (
    AlertFrequency,
    AlertLinkUse,
    Comment,
    CommentStatus,
    ModerationTrigger,
    ModeratorAlert,
    ModeratorAlertPreference,
)
from rostra.discussion.permissions import MODERATE, permissions_of
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.moderation import comment_moderate
from rostra.discussion.tasks import moderation_webhook_task, moderator_alerts_task


def moderators_alert(comment_ids, trigger: str, *, now: datetime | None = None) -> list[int]:
    """Alert moderators that the comments `comment_ids` wait for them because of
    `trigger` (a ModerationTrigger: the hold's, or REPORT). Call it inside the
    transaction that held or reported them: nothing is sent unless it commits. Returns
    the new alerts' ids."""
    if trigger not in ModerationTrigger.values:
        raise ValueError(f"unknown trigger {trigger!r}")
    now = now or timezone.now()
    alerts = ModeratorAlert.objects.bulk_create(
        ModeratorAlert(comment_id=int(pk), trigger=trigger, created_at=now) for pk in comment_ids
    )
    ids = [alert.pk for alert in alerts]
    if ids:
        enqueue_on_commit(moderator_alerts_task, alert_ids=ids)
        if settings.MODERATION_WEBHOOK_URL:
            enqueue_on_commit(moderation_webhook_task, alert_ids=ids)
    return ids


def alert_preference_set(*, user, frequency: str) -> ModeratorAlertPreference:
    """A moderator's choice: no alert e-mails, one for each alert, or an hourly digest.
    Only users who may moderate can choose to receive them."""
    if frequency not in AlertFrequency.values:
        raise DiscussionError(
            _("Unknown choice %(choice)r.") % {"choice": frequency}, field="frequency"
        )
    if frequency != AlertFrequency.OFF and MODERATE not in permissions_of(user):
        raise DiscussionError(_("Only moderators receive moderation alerts."), status=403)
    preference, _created = ModeratorAlertPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference


def alert_link_check(token: str) -> tuple[AlertLink, Comment]:
    """What an alert link would do, without doing it (the confirmation page): its
    action and comment; DiscussionError when it is forged, expired, used, not its
    moderator's to use any more, or has nothing left to do."""
    try:
        link = alert_link_read(token)
    except AlertLinkError as refusal:
        raise DiscussionError(refusal.message, status=refusal.status) from None
    if AlertLinkUse.objects.filter(nonce=link.nonce).exists():
        raise DiscussionError(_("This link has already been used."), status=410)
    moderator = _moderator(link)
    if MODERATE not in permissions_of(moderator):
        raise DiscussionError(_no_longer_moderator(), status=403)
    comment = Comment.objects.select_related("thread").filter(pk=link.comment_id).first()
    if comment is None or comment.is_deleted:
        raise DiscussionError(_("This comment is no longer there."), status=404)
    if comment.status == link.status:
        raise DiscussionError(
            _("This comment is already %(status)s.") % {"status": _status_word(comment)},
            status=409,
        )
    if comment.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        raise DiscussionError(
            _(
                "Another decision was taken on this comment since the alert "
                "(%(status)s). Open it in the queue to change it."
            )
            % {"status": _status_word(comment)},
            status=409,
        )
    return link, comment


def alert_link_use(token: str, *, now: datetime | None = None) -> Comment:
    """Act on an alert link (the confirmation page's POST): once, as its moderator."""
    link, comment = alert_link_check(token)
    moderator = _moderator(link)
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                AlertLinkUse.objects.create(nonce=link.nonce, used_at=now, moderator=moderator)
        except IntegrityError:
            raise DiscussionError(_("This link has already been used."), status=410) from None
        comment_moderate(
            comments=[comment.pk],
            viewer=staff_viewer(moderator),
            status=link.status,
            trigger=ModerationTrigger.EMAIL,
            now=now,
        )
    comment.status = link.status
    return comment


def _no_longer_moderator() -> str:
    return _("You no longer have permission to moderate comments.")


def _status_word(comment: Comment) -> str:
    return str(comment.get_status_display()).lower()


def _moderator(link: AlertLink):
    moderator = get_user_model().objects.filter(pk=link.moderator_id, is_active=True).first()
    if moderator is None:
        raise DiscussionError(_no_longer_moderator(), status=403)
    return moderator
