"""Screening a reader's comment as it is posted or edited: whether it is published at
once or held for a moderator, and why.

Holds, in the order their reason is given: the article's hold mode, the site's, quiet
hours, first-time commenters. Staff are never held. Every hold is logged as a decision
(trigger and note for moderators) and its reason shown to the author.
"""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    HoldReason,
    Moderation,
    ModerationTrigger,
    Thread,
    ThreadHold,
)
from rostra.discussion.policy import Policy


@dataclass(frozen=True)
class Hold:
    """A comment held for a moderator: `reason` for its author, `trigger` and `note`
    for the decision log."""

    reason: str
    trigger: str
    note: str = ""


def in_quiet_hours(now: datetime, start: time, end: time, zone: ZoneInfo | None = None) -> bool:
    """Whether `now` falls between `start` and `end`, read on the wall clock of `zone`
    (TIME_ZONE by default), so daylight saving time moves nothing: 22:00 stays 22:00.
    An end earlier than the start runs across midnight."""
    local = now.astimezone(zone or ZoneInfo(settings.TIME_ZONE)).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def hold_for(*, thread: Thread, viewer: Viewer, policy: Policy, now: datetime) -> Hold | None:
    """The hold that applies to a new comment by `viewer`, or None to publish it."""
    if viewer.is_staff:
        return None
    if thread.hold_mode == ThreadHold.HOLD_ALL:
        return Hold(HoldReason.ARTICLE, ModerationTrigger.HOLD_MODE, "article: hold everything")
    if policy.moderation == Moderation.HOLD_ALL:
        return Hold(HoldReason.SITE, ModerationTrigger.HOLD_MODE, "site: hold everything")
    if policy.quiet_hours and in_quiet_hours(now, *policy.quiet_hours):
        start, end = policy.quiet_hours
        return Hold(
            HoldReason.QUIET_HOURS,
            ModerationTrigger.HOLD_MODE,
            f"quiet hours {start:%H:%M}–{end:%H:%M}",
        )
    if policy.moderation == Moderation.FIRST_TIME:
        has_history = Comment.objects.filter(
            author_key=viewer.key, status=CommentStatus.APPROVED
        ).exists()
        if not has_history:
            return Hold(HoldReason.FIRST_TIME, ModerationTrigger.HOLD_MODE, "first-time commenter")
    return None
