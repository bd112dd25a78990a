"""Read-side queries of publishing. Each returns articles ready to render: cover
images and their renditions prefetched, section attached, in a fixed number of
queries whatever the number of articles."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

LATEST_PER_SECTION = 4


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
    not_expired = Q(**{f"{prefix}expire_at__isnull": True}) | Q(
        **{f"{prefix}expire_at__gt": timezone.now()}
    )
    return Q(**{f"{prefix}live": True}) & not_expired & ~Exists(restricted)


def readable_articles() -> QuerySet:
    """Articles every reader may open (see `readable_q`)."""
    from rostra.publishing.models import ArticlePage

    return ArticlePage.objects.filter(readable_q())


def live_articles(*, root: Page | None = None) -> QuerySet:
    from rostra.publishing.models import ArticlePage

    articles = (
        ArticlePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("-published_at", "-pk")
    )
    if root is not None:
        articles = articles.descendant_of(root)
    return articles


def attach_sections(articles: Iterable) -> list:
    """Set `article.section` on each article with one query for all of them."""
    from rostra.publishing.models import SectionPage

    articles = list(articles)
    steplen = Page.steplen
    parent_paths = {article.path[:-steplen] for article in articles}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.section = sections.get(article.path[:-steplen])
    return articles


@dataclass
class SectionFront:
    section: Page
    articles: list = field(default_factory=list)


@dataclass
class FrontPage:
    lead: Page | None
    sections: list[SectionFront]


def front_page(*, home: Page, per_section: int = LATEST_PER_SECTION) -> FrontPage:
    """The lead story and the latest articles of each section, lead excluded."""
    from rostra.publishing.models import SectionPage

    sections = list(SectionPage.objects.child_of(home).live().public().order_by("path"))
    lead = None
    if home.lead_article_id:
        lead = live_articles(root=home).filter(pk=home.lead_article_id).first()
    if lead is None:
        lead = live_articles(root=home).first()

    section_path_length = (home.depth + 1) * Page.steplen
    ranked = (
        live_articles(root=home)
        .exclude(pk=getattr(lead, "pk", None))
        .annotate(
            section_path=Substr("path", 1, section_path_length),
            rank=Window(
                RowNumber(),
                partition_by=[F("section_path")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=per_section)
    )
    by_path = {s.path: SectionFront(section=s) for s in sections}
    for article in ranked:
        front = by_path.get(article.section_path)
        if front is not None:
            article.section = front.section
            front.articles.append(article)
    if lead is not None:
        attach_sections([lead])
    return FrontPage(lead=lead, sections=[f for f in by_path.values() if f.articles])


def section_articles(*, section: Page) -> QuerySet:
    return live_articles().child_of(section)


def tagged_articles(*, root: Page, tag_slug: str) -> QuerySet:
    return live_articles(root=root).filter(tags__slug=tag_slug).distinct()


def search_articles(*, root: Page, query: str):
    """Full-text search over live articles of the site, best matches first."""
    from rostra.publishing.models import ArticlePage

    matching = ArticlePage.objects.live().public().descendant_of(root)
    results = matching.search(query, operator="and")
    return results


def feed_articles(*, root: Page, limit: int = 30) -> list:
    return attach_sections(live_articles(root=root)[:limit])
