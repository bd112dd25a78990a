"""Builders for discussion tests."""

from html.parser import HTMLParser
from itertools import count
from urllib.parse import urlsplit

from rostra.discussion import services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.permissions import SERVICE_PERMISSIONS
from rostra.discussion.policy import Policy
from rostra.discussion.text import ALLOWED_TAGS

_guests = count(1)

# Tests post faster than any rate limit and without waiting for the form clock.
TEST_POLICY = Policy(rate_limit=(10_000, 60), min_submit_seconds=0)


def guest(name: str = "", *, ip_hash: str = "") -> Viewer:
    n = next(_guests)
    return Viewer(key=guest_key(f"guest-{n}-{name}"), ip_hash=ip_hash or f"ip-{n}")


def staff() -> Viewer:
    """A moderator: staff, with every permission the services check."""
    return Viewer(
        key="u:999999",
        user_id=999999,
        is_staff=True,
        display_name="Editor",
        permissions=SERVICE_PERMISSIONS,
    )


def site_settings_save(**fields):
    """The default site's discussion settings with `fields` changed, saved (which makes
    requests' policies forget the old ones)."""
    from wagtail.log_actions import log
    from wagtail.models import Site

    from rostra.discussion.models import DiscussionSettings

    site_settings = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(site_settings, name, value)
    site_settings.save()
    log(instance=site_settings, action="wagtail.edit")  # as the settings form does
    return site_settings


def post(thread, viewer=None, body="A comment.", *, name="Reader", policy=TEST_POLICY, **kwargs):
    return services.comment_post(
        thread=thread,
        viewer=viewer or guest(name),
        policy=policy,
        body=body,
        name=name,
        **kwargs,
    )


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """Dangerous text may show as text, but never becomes an element, handler or link."""
    for tag, attributes in _Elements(html).found:
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attributes), attributes
        assert set(attributes) <= {"href", "rel", "start"}, attributes
        if "href" in attributes:
            assert urlsplit(attributes["href"]).scheme in ("http", "https", "mailto")
