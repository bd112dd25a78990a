"""Read-side queries of publishing. Each returns articles ready to render: cover
images and their renditions prefetched, section attached, in a fixed number of
queries whatever the number of articles."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Now
from django.db.models.lookups import StartsWith
from wagtail.models import ModelLogEntry, Page, PageLogEntry, PageViewRestriction

# The lists the pages render are queried in models.py, beside the pages, so that the
# models need nothing from here; views and feeds read them through this module.
from rostra.publishing.models import ArticlePage, attach_sections, feed_articles, live_articles

__all__ = [
    "attach_sections",
    "feed_articles",
    "live_articles",
    "readable_articles",
    "readable_q",
    "search_articles",
    "tagged_articles",
]


def readable_q(prefix: str = "") -> Q:
    """Pages every reader may open: live, not past their expiry date, and with no view
    restriction (password, sign-in or groups) on the page or on any page above it.

    One condition, no query of its own, so the rows that depend on a page (its thread,
    its comments) are filtered in the query that fetches them: `prefix` is the path to
    the page, e.g. "thread__article__". Wagtail's `.public()` first loads every
    restriction, and its `live` flag stays set after `expire_at` until the scheduler
    (`publish_scheduled`) has run.
    """
    restricted = PageViewRestriction.objects.filter(
        StartsWith(OuterRef(f"{prefix}path"), F("page__path"))
    )
    # The database's clock, not a parameter: the rule's SQL stays the same from one
    # request to the next and is compiled once (rostra.core.compiled_queries).
    not_expired = Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": Now()})
    return Q(**{f"{prefix}live": True}) & not_expired & ~Exists(restricted)


def readable_articles() -> QuerySet:
    """Articles every reader may open (see `readable_q`)."""
    return ArticlePage.objects.filter(readable_q())


def tagged_articles(*, root: Page, tag_slug: str) -> QuerySet:
    return live_articles(root=root).filter(tags__slug=tag_slug).distinct()


def search_articles(*, root: Page, query: str):
    """Full-text search over live articles of the site, best matches first."""
    matching = ArticlePage.objects.live().public().descendant_of(root)
    results = matching.search(query, operator="and")
    return results


def published_content_queries() -> list[QuerySet]:
    """The newest page and model log entries, as queries of one value each: they change
    whenever an editor publishes, unpublishes, moves or deletes a page, or saves a
    setting or snippet (Wagtail logs each of these actions)."""
    return [
        PageLogEntry.objects.order_by("-pk").values_list("pk")[:1],
        ModelLogEntry.objects.order_by("-pk").values_list("pk")[:1],
    ]
