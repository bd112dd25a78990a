"""Screening a reader's comment as it is posted or edited: refused, held for a
moderator, or published at once, and why.

A banned term in the text, name or website refuses the comment (the reader is told
which, and keeps their text). Holds, in the order their reason is given: a suspect
term, more links than the limit, the article's hold mode, the site's, quiet hours,
first-time commenters; an edit is screened for terms and links only. Staff are neither
refused nor held. Every hold is logged as a decision (trigger and note for
moderators) and its reason shown to the author.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.wordlists import word_matcher

_LINK = re.compile(r"<a\s")  # in rendered (sanitised) HTML: every link is an <a href>
FIELD_NAMES = {"body": "comment", "name": "name", "website": "website"}  # in stored notes
# What a reader is told of a banned term, by the field it was found in.
BANNED_TERM_REFUSALS = {
    "body": _("Your comment contains “%(term)s”, which this site does not publish."),
    "name": _("Your name contains “%(term)s”, which this site does not publish."),
    "website": _("Your website contains “%(term)s”, which this site does not publish."),
}


@dataclass(frozen=True)
class Submission:
    """What a reader wrote, as screened: the cleaned fields and the rendered text."""

    body: str
    body_html: str
    name: str = ""
    website: str = ""

    def fields(self):
        return (("body", self.body), ("name", self.name), ("website", self.website))


@dataclass(frozen=True)
class Hold:
    """A comment held for a moderator: `reason` for its author, `trigger` and `note`
    for the decision log."""

    reason: str
    trigger: str
    note: str = ""


# A shadow-banned commenter's comment: logged as Rostra's decision, told to nobody.
SHADOW_BANNED = Hold("", ModerationTrigger.BAN, "shadow ban")


def in_quiet_hours(now: datetime, start: time, end: time, zone: ZoneInfo | None = None) -> bool:
    """Whether `now` falls between `start` and `end`, read on the wall clock of `zone`
    (TIME_ZONE by default), so daylight saving time moves nothing: 22:00 stays 22:00.
    An end earlier than the start runs across midnight."""
    local = now.astimezone(zone or ZoneInfo(settings.TIME_ZONE)).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def refuse_banned_terms(policy: Policy, submission: Submission) -> None:
    """Raise a DiscussionError naming the first banned term found, and where."""
    matcher = word_matcher(policy.banned_terms)
    for field, text in submission.fields():
        term = matcher.find(text)
        if term is not None:
            raise DiscussionError(
                " ".join(
                    (
                        BANNED_TERM_REFUSALS[field] % {"term": term},
                        gettext("Please change it and post again; your text is still here."),
                    )
                ),
                field=field,
            )


def content_hold(policy: Policy, submission: Submission) -> Hold | None:
    """A hold for what the comment says: a suspect term (named for moderators), or more
    links than the limit."""
    matcher = word_matcher(policy.suspect_terms)
    for field, text in submission.fields():
        term = matcher.find(text)
        if term is not None:
            note = f"suspect term “{term}” in the {FIELD_NAMES[field]}"
            return Hold(HoldReason.WORDS, ModerationTrigger.WORD_LIST, note)
    if policy.link_limit is not None:
        links = len(_LINK.findall(submission.body_html))
        if links > policy.link_limit:
            note = f"{links} links (limit {policy.link_limit})"
            return Hold(HoldReason.LINKS, ModerationTrigger.LINK_LIMIT, note)
    return None


def screen_edit(*, viewer: Viewer, policy: Policy, submission: Submission) -> Hold | None:
    """Refuse an edit with a banned term; the hold its new text earns, if any."""
    if viewer.is_staff:
        return None
    refuse_banned_terms(policy, submission)
    return content_hold(policy, submission)


def screen_post(
    *, thread: Thread, viewer: Viewer, policy: Policy, now: datetime, submission: Submission
) -> Hold | None:
    """Refuse a new comment with a banned term; else the hold that applies to it, or
    None to publish it."""
    if viewer.is_staff:
        return None
    refuse_banned_terms(policy, submission)
    hold = content_hold(policy, submission)
    if hold is not None:
        return hold
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
