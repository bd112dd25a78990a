"""The discussion settings that apply to a request, cached per host.

Every post and every article page needs them; looking up the site and its settings
costs two queries, so each process keeps them for a minute (and forgets them at once
when an editor saves the settings or a site in this process).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from rostra.discussion.models import DiscussionSettings
from rostra.discussion.services import Policy

CACHE_SECONDS = 60
_VERSION_KEY = "rostra:discussion:policy-version"


def _cache_key(request) -> str:
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    return f"rostra:discussion:policy:{version}:{request.get_host()}"


def policy_for_request(request) -> tuple[Policy, DiscussionSettings]:
    key = _cache_key(request)
    cached = cache.get(key)
    if cached is None:
        site_settings = DiscussionSettings.for_request(request)
        cached = (Policy.from_settings(site_settings), site_settings)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


@receiver([post_save, post_delete], sender=DiscussionSettings)
@receiver([post_save, post_delete], sender=Site)
def forget_policies(**kwargs):
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
