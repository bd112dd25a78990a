"""Wagtail page types of a newsroom: the home page, sections and articles, and the
article lists those pages render (read by views and feeds through selectors.py, which
imports them from here: the models import nothing of the read side)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from rostra.core.page_cache import mark_private, serve_cacheable, version_reader
from rostra.publishing.blocks import ArticleBodyBlock
from rostra.publishing.feeds import ArticlesAtomFeed, ArticlesRssFeed

ARTICLES_PER_PAGE = 20
LATEST_PER_SECTION = 4
FEED_LENGTH = 30


class CacheablePageMixin:
    """A page a proxy may keep while it shows nothing personal (rostra.core.page_cache);
    a page with view restrictions (password, sign-in, groups) is always private. First
    among the bases, so it wraps RoutablePageMixin's routes too."""

    def serve(self, request, *args, **kwargs):
        def render():
            return super(CacheablePageMixin, self).serve(request, *args, **kwargs)

        if self.get_view_restrictions().exists():
            response = render()
            mark_private(response)
            return response
        return serve_cacheable(request, version=version_reader(self), render=render)


class HomePage(CacheablePageMixin, Page):
    """The front page: a lead story, then the latest articles of each section."""

    tagline = models.CharField(max_length=200, blank=True)
    lead_article = models.ForeignKey(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown first. Empty: the most recent article."),
    )

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("lead_article")]
    subpage_types = ["publishing.SectionPage"]
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["front"] = front_page(home=self)
        return context


class SectionPage(CacheablePageMixin, RoutablePageMixin, Page):
    """A section of the newsroom (World, Culture …) listing its articles, with feeds."""

    description = models.TextField(blank=True, max_length=500)
    funding_asks = models.BooleanField(
        _("show funding asks"),
        default=True,
        help_text=_("Untick for no support banner or ask on this section's articles."),
    )

    content_panels = [*Page.content_panels, FieldPanel("description")]
    settings_panels = [*Page.settings_panels, FieldPanel("funding_asks")]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.ArticlePage"]

    @path("")
    def index_route(self, request):
        paginator = Paginator(live_articles().child_of(self), ARTICLES_PER_PAGE)
        articles = paginator.get_page(request.GET.get("page"))
        attach_sections(articles.object_list)
        return self.render(request, context_overrides={"articles": articles})

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request):
        return ArticlesAtomFeed(feed_articles)(request, section=self)

    @path("feed/rss/", name="rss_feed")
    def rss_feed(self, request):
        return ArticlesRssFeed(feed_articles)(request, section=self)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "publishing.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(CacheablePageMixin, Page):
    """A news article. Its template has slots for funding and discussion (see core.slots)."""

    standfirst = models.TextField(
        max_length=400, blank=True, help_text=_("One or two sentences under the headline.")
    )
    byline = models.CharField(max_length=200, blank=True, help_text=_("e.g. “Ana Ribeiro”"))
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        db_index=True,
        help_text=_("Shown to readers; orders the article in lists and feeds."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_caption = models.CharField(max_length=300, blank=True)
    cover_credit = models.CharField(max_length=200, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    funding_asks = models.BooleanField(
        _("show funding asks"),
        default=True,
        help_text=_("Untick for no support banner or ask on this article."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("byline"), FieldPanel("published_at")], heading=_("Byline and date")
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_caption"), FieldPanel("cover_credit")],
            heading=_("Cover image"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("funding_asks")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("byline"),
        index.SearchField("body"),
        index.FilterField("published_at"),
    ]
    parent_page_types = ["publishing.SectionPage"]
    subpage_types = []

    class Meta:
        ordering = ["-published_at"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.get_parent().specific_deferred
        context["tag_list"] = list(self.tags.all())
        return context

    def get_sitemap_urls(self, request=None):
        return [
            {**entry, "lastmod": self.last_published_at or self.published_at}
            for entry in super().get_sitemap_urls(request)
        ]


# The lists the pages render ---------------------------------------------------------


def live_articles(*, root: Page | None = None) -> QuerySet:
    """Live public articles, newest first, cover image and renditions prefetched."""
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


def feed_articles(*, root: Page) -> list:
    """The latest articles under `root` for its Atom and RSS feeds, sections attached."""
    return attach_sections(live_articles(root=root)[:FEED_LENGTH])
