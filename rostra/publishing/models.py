"""Wagtail page types of a newsroom: the home page, sections and articles."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from rostra.publishing import selectors
from rostra.publishing.blocks import ArticleBodyBlock

ARTICLES_PER_PAGE = 20


class HomePage(Page):
    """The front page: a lead story, then the latest articles of each section."""

    tagline = models.CharField(max_length=200, blank=True)
    lead_article = models.ForeignKey(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown first. Empty: the most recent article.",
    )

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("lead_article")]
    subpage_types = ["publishing.SectionPage"]
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["front"] = selectors.front_page(home=self)
        return context


class SectionPage(RoutablePageMixin, Page):
    """A section of the newsroom (World, Culture …) listing its articles, with feeds."""

    description = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.ArticlePage"]

    @path("")
    def index_route(self, request):
        paginator = Paginator(selectors.section_articles(section=self), ARTICLES_PER_PAGE)
        articles = paginator.get_page(request.GET.get("page"))
        selectors.attach_sections(articles.object_list)
        return self.render(request, context_overrides={"articles": articles})

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request):
        from rostra.publishing.feeds import ArticlesAtomFeed

        return ArticlesAtomFeed()(request, section=self)

    @path("feed/rss/", name="rss_feed")
    def rss_feed(self, request):
        from rostra.publishing.feeds import ArticlesRssFeed

        return ArticlesRssFeed()(request, section=self)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "publishing.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(Page):
    """A news article. Its template has slots for funding and discussion (see core.slots)."""

    standfirst = models.TextField(
        max_length=400, blank=True, help_text="One or two sentences under the headline."
    )
    byline = models.CharField(max_length=200, blank=True, help_text="e.g. “Ana Ribeiro”")
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        db_index=True,
        help_text="Shown to readers; orders the article in lists and feeds.",
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

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("byline"), FieldPanel("published_at")], heading="Byline and date"
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_caption"), FieldPanel("cover_credit")],
            heading="Cover image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
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
