"""The discussion settings that apply to a request (`Policy`), cached per host.

Every post and every article page needs them; looking up the site and its settings
costs two queries, so they are kept in the shared cache and in each process, under a
version every process reads once per request and bumps when an editor saves the
settings or a site.
"""

import secrets
from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from rostra.discussion.models import BanDuration, DiscussionSettings, Moderation
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


CACHE_SECONDS = 60
_VERSION_KEY = "rostra:discussion:policy-version"
# This process's copy of each host's (version, policy, settings): a request whose
# version read from the shared cache matches it uses it without unpickling the
# settings again. Bounded: hosts come from ALLOWED_HOSTS, but that may be "*".
_MEMO: dict[str, tuple] = {}
_MEMO_HOSTS = 64


def _fresh_version() -> int:
    """A version no process can have kept settings under: after the shared cache was
    emptied (or evicted the entry), counting again from 1 could match a stale copy."""
    return secrets.randbits(48)


def policy_for_request(request) -> tuple[Policy, DiscussionSettings]:
    """The host's policy, in one read of the shared cache: the settings version, which
    every process bumps when an editor saves the settings or a site. This process keeps
    what it built under that version; the shared entry (made under a version, counting
    only while that is still the current one) spares other processes the queries."""
    host = request.get_host()
    key = f"rostra:discussion:policy:{host}"
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = cache.get_or_set(_VERSION_KEY, _fresh_version(), None)
    memo = _MEMO.get(host)
    if memo is not None and memo[0] == version:
        return memo[1:]
    made_under, *cached = cache.get(key) or (None,)
    if made_under != version:
        site_settings = DiscussionSettings.for_request(request)
        cached = (Policy.from_settings(site_settings), site_settings)
        cache.set(key, (version, *cached), CACHE_SECONDS)
    if len(_MEMO) >= _MEMO_HOSTS:
        _MEMO.clear()
    _MEMO[host] = (version, *cached)
    return tuple(cached)


@receiver([post_save, post_delete], sender=DiscussionSettings)
@receiver([post_save, post_delete], sender=Site)
def forget_policies(**kwargs):
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, _fresh_version(), None)
