"""Bans: keeping a commenter out for a while or for good, and removing what they wrote.

Posting and editing ask `ban_check` (one statement) before anything is written, a vote
checks `not_blocked` in its own insert (and asks `ban_check` why when it was refused): a ban
refuses with a polite 403 that keeps the reader's text, a shadow ban lets the comment
through as `SHADOWED`, seen by its author alone. The form, the API and edits of
imported comments all pass through those two services.
"""

from datetime import UTC, datetime, timedelta
from functools import cache

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Ban,
    BanDuration,
    BanKind,
    Comment,
    CommentStatus,
    ModerationReason,
    ModerationTrigger,
)
from rostra.discussion.permissions import BAN, LIFT_BAN, MODERATE
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.moderation import comment_moderate
from rostra.discussion.services.sql import columns_of, table_of

DURATIONS = {
    BanDuration.DAY: timedelta(hours=24),
    BanDuration.WEEK: timedelta(days=7),
    BanDuration.MONTH: timedelta(days=30),
    BanDuration.PERMANENT: None,
}
IDENTITY_KINDS = (BanKind.ACCOUNT, BanKind.GUEST)


def active_bans_q(now: datetime) -> Q:
    return Q(lifted_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


# What a ban says, by what it refuses: (until a date, for good).
_REFUSALS = {
    "comment": (
        gettext_lazy(
            "We are sorry: you cannot comment here until %(until)s, because a moderator has "
            "blocked comments from you. Your text is still here, so you can keep a copy."
        ),
        gettext_lazy(
            "We are sorry: you cannot comment here any more, because a moderator has "
            "blocked comments from you. Your text is still here, so you can keep a copy."
        ),
    ),
    "vote": (
        gettext_lazy(
            "We are sorry: you cannot vote here until %(until)s, because a moderator has "
            "blocked you from taking part."
        ),
        gettext_lazy(
            "We are sorry: you cannot vote here any more, because a moderator has "
            "blocked you from taking part."
        ),
    ),
}


@cache
def _viewers_bans_sql(vendor: str) -> str:
    """FROM and WHERE of the active bans that name a viewer (by identity, e-mail or
    address), for `vendor`'s quoting; parameters as `_viewers_bans_params`."""
    table = table_of(Ban)
    kind, value, expires, lifted = columns_of(Ban, "kind", "value", "expires_at", "lifted_at")
    return f"""FROM {table}
WHERE {lifted} IS NULL AND ({expires} IS NULL OR {expires} > %s)
  AND (({kind} IN (%s, %s) AND {value} = %s)
       OR ({kind} = %s AND {value} = %s)
       OR ({kind} = %s AND {value} = %s))"""


def _viewers_bans_params(viewer: Viewer, email: str, now: datetime) -> list:
    # A missing e-mail or address is NULL there, which matches no ban.
    return [
        connection.ops.adapt_datetimefield_value(now),
        *IDENTITY_KINDS,
        viewer.key,
        *(BanKind.EMAIL, email.strip().lower() or None),
        *(BanKind.ADDRESS, viewer.ip_hash or None),
    ]


@cache
def _active_ban_sql(vendor: str) -> str:
    (shadow, expires) = columns_of(Ban, "shadow", "expires_at")
    return f"""SELECT {shadow}, {expires} {_viewers_bans_sql(vendor)}
ORDER BY {shadow}, {expires} IS NULL DESC, {expires} DESC
LIMIT 1"""


@cache
def _not_blocked_sql(vendor: str) -> str:
    (shadow,) = columns_of(Ban, "shadow")
    return f"NOT EXISTS (SELECT 1 {_viewers_bans_sql(vendor)} AND NOT {shadow})"


def not_blocked(viewer: Viewer, email: str, now: datetime) -> tuple[str, list]:
    """A condition (SQL and its parameters) true unless a ban refuses `viewer` (one
    that is not a shadow ban; staff are never refused): a write that a blocked reader
    may not make puts it in its own statement, sparing the common case a statement of
    its own, and asks `ban_check` for the refusal when the write did not happen."""
    if viewer.is_staff:
        return "1 = 1", []
    return _not_blocked_sql(connection.vendor), _viewers_bans_params(viewer, email, now)


def ban_check(viewer: Viewer, email: str, now: datetime, *, doing: str = "comment") -> bool:
    """Refuse a banned commenter (DiscussionError, 403); True when only a shadow ban
    applies, so their comment is kept from everyone else. Staff are never banned.
    `doing` names what is refused ("comment", "vote").

    One statement kept as SQL: every post asks it, and building the same query with
    the ORM (Q objects, ordering, model instance) took about a sixth of a vote's CPU."""
    if viewer.is_staff:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_active_ban_sql(connection.vendor), _viewers_bans_params(viewer, email, now))
        ban = cursor.fetchone()
    if ban is None:
        return False
    shadow, expires_at = ban
    if shadow:
        return True
    until_then, for_good = _REFUSALS[doing]
    if expires_at:
        # Read as the ORM would: a raw cursor gives SQLite's text, PostgreSQL's datetime.
        expires_at = Ban._meta.get_field("expires_at").to_python(expires_at)
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at, UTC)
        until = date_format(timezone.localtime(expires_at), "DATETIME_FORMAT")
        message = until_then % {"until": until}
    else:
        message = str(for_good)
    raise DiscussionError(message, field="form", status=403)


# What "Ban this commenter" says when the comment did not record what was asked for.
_MISSING_TO_BAN = {
    "identity": gettext_lazy("This comment has no identity to ban."),
    "email": gettext_lazy("This comment has no e-mail address to ban."),
    "address": gettext_lazy("This comment has no address to ban."),
}


def ban_create(
    *,
    viewer: Viewer,
    kind: str,
    value: str,
    duration: str = BanDuration.PERMANENT,
    reason: str = "",
    shadow: bool = False,
    label: str = "",
    now: datetime | None = None,
) -> Ban:
    """Ban one account, guest identity (an author key), e-mail address or IP hash."""
    if not viewer.may(BAN):
        raise DiscussionError(_("You do not have permission to ban commenters."), status=403)
    if kind not in BanKind.values:
        raise DiscussionError(_("Unknown kind of ban %(kind)r.") % {"kind": kind}, field="kind")
    if duration not in DURATIONS:
        raise DiscussionError(
            _("Unknown duration %(duration)r.") % {"duration": duration}, field="duration"
        )
    value = value.strip()
    if kind == BanKind.EMAIL:
        value = value.lower()
        if "@" not in value:
            raise DiscussionError(_("Give the e-mail address to ban."), field="value")
    if not value or len(value) > 254:
        raise DiscussionError(_("Say whom to ban."), field="value")
    if kind == BanKind.ACCOUNT and not value.startswith("u:"):
        raise DiscussionError(_("An account is banned by its key (u:<id>)."), field="value")
    now = now or timezone.now()
    length = DURATIONS[duration]
    return Ban.objects.create(
        kind=kind,
        value=value,
        label=label[:200],
        reason=reason,
        shadow=shadow,
        created_at=now,
        created_by_id=viewer.user_id,
        expires_at=now + length if length else None,
    )


def commenter_ban(
    *,
    comment: Comment,
    viewer: Viewer,
    kinds: list[str],
    duration: str = BanDuration.PERMANENT,
    reason: str = "",
    shadow: bool = False,
    remove_everything: bool = False,
    now: datetime | None = None,
) -> list[Ban]:
    """Ban the author of `comment` by what it recorded of them: "identity" (their
    account or guest key), "email", "address"; and, if asked, remove every comment
    they wrote, in the same transaction."""
    wanted = {
        "identity": (
            BanKind.ACCOUNT if comment.user_id else BanKind.GUEST,
            comment.author_key,
        ),
        "email": (BanKind.EMAIL, comment.author_email),
        "address": (BanKind.ADDRESS, comment.ip_hash),
    }
    unknown = set(kinds) - set(wanted)
    if unknown:
        raise DiscussionError(
            _("Unknown kind of ban %(kind)r.") % {"kind": sorted(unknown)[0]}, field="kinds"
        )
    missing = [kind for kind in kinds if not wanted[kind][1]]
    if missing:
        raise DiscussionError(str(_MISSING_TO_BAN[missing[0]]), field="kinds")
    now = now or timezone.now()
    with transaction.atomic():
        bans = [
            ban_create(
                viewer=viewer,
                kind=wanted[kind][0],
                value=wanted[kind][1],
                duration=duration,
                reason=reason,
                shadow=shadow,
                label=comment.author_name,
                now=now,
            )
            for kind in kinds
        ]
        if remove_everything:
            commenter_remove_everything(
                author_key=comment.author_key,
                viewer=viewer,
                note=reason,
                trigger=ModerationTrigger.BAN if bans else ModerationTrigger.MODERATOR,
                now=now,
            )
    return bans


def ban_lift(*, ban: Ban, viewer: Viewer, now: datetime | None = None) -> Ban:
    if not viewer.may(LIFT_BAN):
        raise DiscussionError(_("You do not have permission to lift bans."), status=403)
    if ban.lifted_at is None:
        ban.lifted_at = now or timezone.now()
        ban.lifted_by_id = viewer.user_id
        ban.save(update_fields=["lifted_at", "lifted_by"])
    return ban


def commenter_remove_everything(
    *,
    author_key: str,
    viewer: Viewer,
    reason: str = ModerationReason.OTHER,
    note: str = "",
    trigger: str = ModerationTrigger.MODERATOR,
    now: datetime | None = None,
) -> int:
    """Remove every comment by this author that is not rejected already: one
    `comment_moderate`, so each is logged and each thread's version moves."""
    if not viewer.may(MODERATE):
        raise DiscussionError(_("You do not have permission to moderate comments."), status=403)
    ids = list(
        Comment.objects.filter(author_key=author_key)
        .exclude(status__in=[CommentStatus.SPAM, CommentStatus.REMOVED])
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    return comment_moderate(
        comments=ids,
        viewer=viewer,
        status=CommentStatus.REMOVED,
        reason=reason,
        note=note,
        trigger=trigger,
        now=now,
    )
