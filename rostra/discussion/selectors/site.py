"""The site's discussion settings for work done outside a request."""

from rostra.discussion.models import DiscussionSettings
from rostra.discussion.policy import Policy


def site_policy() -> Policy:
    """The first site's discussion settings as the services apply them (the defaults
    when none are saved), for work done outside a request, such as imports."""
    site_settings = DiscussionSettings.objects.first()
    return Policy.from_settings(site_settings) if site_settings else Policy()
