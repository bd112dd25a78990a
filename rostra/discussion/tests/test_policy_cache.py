"""The discussion settings a request applies: their version read once per request (one
prepared statement), the policy itself kept per process under that version."""

import pytest
from django.test import RequestFactory
from wagtail.models import Site

from rostra.discussion import policy as policies
from rostra.discussion.models import DiscussionSettings, PolicyVersion

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
    """The second request reads only the version (one query) and gets this process's
    own policy: no site or settings looked up again."""
    first, _ = policies.policy_for_request(request_for_site())
    with django_assert_num_queries(1):
        again, _ = policies.policy_for_request(request_for_site())
    assert again is first


def test_settings_saved_by_another_process_apply_at_the_next_request(request_for_site, site):
    """Another process saving the settings moves the version; this process's copy then
    no longer counts."""
    assert policies.policy_for_request(request_for_site())[0].max_length != 123
    settings_update(site, max_length=123)
    policies.forget_policies()  # as the other process's save did
    assert policies.policy_for_request(request_for_site())[0].max_length == 123


def test_saving_the_settings_moves_the_version_in_the_same_transaction(request_for_site, site):
    """A save of the settings (here through the model, as the admin does) moves the
    version with it: the very next request applies the new settings."""
    assert policies.policy_for_request(request_for_site())[0].max_length != 55
    site_settings = DiscussionSettings.for_site(site)
    site_settings.max_length = 55
    site_settings.save()
    assert policies.policy_for_request(request_for_site())[0].max_length == 55


def test_a_lost_version_never_brings_back_a_stale_copy(request_for_site, site):
    """Without the version's row (a database restored or emptied) nothing is kept; the
    next save brings the row back at a new (random) value, which a copy this process
    made before can never match."""
    assert policies.policy_for_request(request_for_site())[0].max_length != 77
    PolicyVersion.objects.all().delete()
    settings_update(site, max_length=77)
    assert policies.policy_for_request(request_for_site())[0].max_length == 77
    settings_update(site, max_length=78)
    assert policies.policy_for_request(request_for_site())[0].max_length == 78
    policies.forget_policies()
    settings_update(site, max_length=79)
    policies.forget_policies()
    assert policies.policy_for_request(request_for_site())[0].max_length == 79
