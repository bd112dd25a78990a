"""The discussion settings that apply to a request (`Policy`), kept per process and host.

Every post, vote and article page needs them; looking up the site and its settings
costs two queries, so each process keeps what it built under the settings' version
(`PolicyVersion`, one row), which every save of the settings or of a site moves in
its own transaction and each request reads once, in one prepared statement.
"""

import secrets
import threading
from dataclasses import dataclass
from datetime import time, timedelta
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from rostra.discussion.models import BanDuration, DiscussionSettings, Moderation, PolicyVersion
from rostra.discussion.wordlists import parse_terms


@dataclass(frozen=True)
class Policy:
    """The site's discussion settings, as the services apply them."""

    require_sign_in: bool = False
    moderation: str = Moderation.POST
    max_depth: int = 5
    edit_window: timedelta = timedelta(minutes=15)
    close_after: timedelta | None = None
    max_length: int = 10_000
    rate_limit: tuple[int, int] = (5, 60)
    min_submit_seconds: float = 3.0
    statement_of_reasons: bool = False
    # (start, end) in TIME_ZONE, during which every comment is held; None: no quiet hours.
    quiet_hours: tuple[time, time] | None = None
    banned_terms: tuple[str, ...] = ()  # refused (rostra.discussion.wordlists)
    suspect_terms: tuple[str, ...] = ()  # held
    link_limit: int | None = None  # more links than this: held
    reports_to_hold: int = 3  # distinct readers' open reports that hold a comment; 0: never
    report_rate_limit: tuple[int, int] = (10, 3600)  # reports per reader (and address)
    # The queue's Undo, which decision e-mails wait out; its one-click Ban's length.
    undo_window: timedelta = timedelta(seconds=8)
    queue_ban: str = BanDuration.WEEK

    @classmethod
    def from_settings(cls, site_settings: DiscussionSettings) -> "Policy":
        return cls(
            require_sign_in=site_settings.require_sign_in,
            moderation=site_settings.moderation,
            max_depth=max(1, site_settings.max_depth),
            edit_window=timedelta(minutes=site_settings.edit_window_minutes),
            close_after=(
                timedelta(days=site_settings.close_after_days)
                if site_settings.close_after_days
                else None
            ),
            max_length=site_settings.max_length,
            rate_limit=settings.COMMENT_RATE_LIMIT,
            min_submit_seconds=settings.COMMENT_MIN_SUBMIT_SECONDS,
            statement_of_reasons=site_settings.statement_of_reasons,
            quiet_hours=(
                (site_settings.quiet_hours_start, site_settings.quiet_hours_end)
                if site_settings.quiet_hours_start and site_settings.quiet_hours_end
                else None
            ),
            banned_terms=parse_terms(site_settings.banned_terms),
            suspect_terms=parse_terms(site_settings.suspect_terms),
            link_limit=site_settings.link_limit,
            reports_to_hold=site_settings.reports_to_hold,
            undo_window=timedelta(seconds=site_settings.undo_seconds),
            queue_ban=site_settings.queue_ban_duration,
        )


# This process's copy of each host's (version, policy, settings). Bounded: hosts come
# from ALLOWED_HOSTS, but that may be "*".
_MEMO: dict[str, tuple] = {}
_MEMO_HOSTS = 64


def policy_for_request(request) -> tuple[Policy, DiscussionSettings]:
    """The host's policy, for one query: the settings' version. This process keeps what
    it built under that version; a save anywhere moves it, so the next request here
    builds again (two queries). Asked again in the same request, the same answer, with
    no query."""
    known = request.__dict__.get(_POLICY_OF_REQUEST)
    if known is not None:
        return known
    request.__dict__[_POLICY_OF_REQUEST] = answer = _policy_for_host(request)
    return answer


# Where a request keeps its answer: the view, the comment section and the page's frame
# of one request may all ask.
_POLICY_OF_REQUEST = "_rostra_discussion_policy"


def _policy_for_host(request) -> tuple[Policy, DiscussionSettings]:
    host = request.get_host()
    version = _version()
    memo = _MEMO.get(host)
    if memo is not None and version is not None and memo[0] == version:
        return memo[1:]
    moves_before = getattr(_moved_here, "count", 0)
    site_settings = DiscussionSettings.for_request(request)
    built = (Policy.from_settings(site_settings), site_settings)
    # The first read of a site's settings makes them, which moves the version: the copy
    # is then kept under the value this thread moved it to.
    moves = getattr(_moved_here, "count", 0) - moves_before
    if moves == 1:
        version = _moved_here.to
    if version is not None and moves <= 1:  # without the row nothing could tell it stale
        if len(_MEMO) >= _MEMO_HOSTS:
            _MEMO.clear()
        _MEMO[host] = (version, *built)
    return built


def _version() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[0])
        row = cursor.fetchone()
    return row[0] if row else None


@cache
def _statements(vendor: str) -> tuple[str, str]:
    """The version's read and its bump, for `vendor`'s quoting."""
    quote = connection.ops.quote_name
    table, pk = quote(PolicyVersion._meta.db_table), quote(PolicyVersion._meta.pk.column)
    value = quote(PolicyVersion._meta.get_field("value").column)
    read = f"SELECT {value} FROM {table} WHERE {pk} = 1"  # noqa: S608 - the model's names
    bump = (
        f"INSERT INTO {table} ({pk}, {value}) VALUES (1, %s) "  # noqa: S608
        f"ON CONFLICT ({pk}) DO UPDATE SET {value} = %s"
    )
    return read, bump


# How often this thread moved the version, and to what last: a build that saved the
# settings knows the version it made them under (another thread's save does not count).
_moved_here = threading.local()


@receiver([post_save, post_delete], sender=DiscussionSettings)
@receiver([post_save, post_delete], sender=Site)
def forget_policies(**kwargs):
    """Move the version, in the saving transaction, to a random value rather than the
    next: a save rolled back (or a lost row) leaves no number that a later save could
    bring back while a process still keeps a policy made under it."""
    version = secrets.randbits(48)
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)[1], [version, version])
    _moved_here.count = getattr(_moved_here, "count", 0) + 1
    _moved_here.to = version


@receiver(setting_changed)
def forget_kept_policies(**kwargs):
    """A policy also holds Django settings (the comment rate limit, the time to wait
    before posting); tests change those."""
    _MEMO.clear()
