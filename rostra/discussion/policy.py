"""The discussion settings that apply to a request (`Policy`), cached per host.

Every post and every article page needs them; looking up the site and its settings
costs two queries, so each process keeps them for a minute (and forgets them at once
when an editor saves the settings or a site in this process).
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from rostra.discussion.models import DiscussionSettings, Moderation
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
        )


CACHE_SECONDS = 60
_VERSION_KEY = "rostra:discussion:policy-version"


def policy_for_request(request) -> tuple[Policy, DiscussionSettings]:
    """The host's policy, in one read of the cache: the entry keeps the settings version
    it was made under and counts only while that is still the current one."""
    key = f"rostra:discussion:policy:{request.get_host()}"
    found = cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY)
    if version is None:
        version = cache.get_or_set(_VERSION_KEY, 1, None)
    made_under, *cached = found.get(key) or (None,)
    if made_under != version:
        site_settings = DiscussionSettings.for_request(request)
        cached = (Policy.from_settings(site_settings), site_settings)
        cache.set(key, (version, *cached), CACHE_SECONDS)
    return tuple(cached)


@receiver([post_save, post_delete], sender=DiscussionSettings)
@receiver([post_save, post_delete], sender=Site)
def forget_policies(**kwargs):
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
