"""Write-side functions of publishing."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from rostra.publishing.models import HomePage


@transaction.atomic
def home_page_ensure() -> HomePage:
    """Make sure the default site is served from a Rostra HomePage at ROSTRA_BASE_URL.

    A fresh Wagtail database has a generic "Welcome" page as the site root; it is
    replaced when it is still untouched (no children). An existing HomePage is kept.
    """
    base = urlsplit(settings.BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        home = site.root_page.specific
    else:
        root = Page.get_first_root_node()
        untouched_placeholder = (
            site is not None
            and site.root_page.content_type.model_class() is Page
            and not site.root_page.get_children().exists()
        )
        if untouched_placeholder:
            placeholder = site.root_page
            site.root_page = root  # detach before deleting the placeholder
            site.save()
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title=settings.SITE_NAME, slug=_free_slug(root, "home"))
        )
        home.save_revision().publish()
    site = site or Site(is_default_site=True)
    site.root_page = home
    site.hostname = base.hostname
    site.port = port
    site.site_name = settings.SITE_NAME
    site.save()
    return home


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate
