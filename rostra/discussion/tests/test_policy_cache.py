"""The discussion settings a request applies: read once per request from the shared
cache's version, the policy itself kept per process under that version."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.models import Site

from rostra.discussion import policy as policies
from rostra.discussion.models import DiscussionSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home):
    """The site, with its discussion settings (made by the first request that asks)."""
    site = Site.objects.get(is_default_site=True)
    DiscussionSettings.for_site(site)
    return site


@pytest.fixture
def request_for_site(site):
    """A new request each time (Wagtail keeps the settings it read on a request)."""
    return lambda: RequestFactory().get("/", HTTP_HOST=site.hostname)


def settings_update(site, **fields):
    """Change the settings without Django's signals, as another process's save looks
    from here."""
    DiscussionSettings.objects.filter(pk=DiscussionSettings.for_site(site).pk).update(**fields)


def test_a_process_builds_the_policy_once_per_settings_version(
    request_for_site, django_assert_num_queries
):
    """The second request reads only the version from the shared cache (here the
    tests' own, in memory: no query) and gets this process's own policy, without
    unpickling the settings again."""
    first, _ = policies.policy_for_request(request_for_site())
    with django_assert_num_queries(0):
        again, _ = policies.policy_for_request(request_for_site())
    assert again is first


def test_settings_saved_by_another_process_apply_at_the_next_request(request_for_site, site):
    """Another process saving the settings bumps the shared version; this process's
    copy then no longer counts."""
    assert policies.policy_for_request(request_for_site())[0].max_length != 123
    settings_update(site, max_length=123)
    cache.incr(policies._VERSION_KEY)  # as the other process's save did
    assert policies.policy_for_request(request_for_site())[0].max_length == 123


def test_an_emptied_shared_cache_never_brings_back_a_stale_copy(request_for_site, site):
    """After the shared cache lost the version (cleared, evicted, restarted), the next
    version is new: a copy this process made before can never match it."""
    assert policies.policy_for_request(request_for_site())[0].max_length != 77
    settings_update(site, max_length=77)
    cache.clear()
    assert policies.policy_for_request(request_for_site())[0].max_length == 77
