"""Atom and RSS feeds of the latest articles, for the whole site or one section."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext
from wagtail.models import Site

from rostra.core.page_cache import serve_cacheable_feed


class ArticlesRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, articles: Callable[..., list]):
        # `articles(root=page)` lists the feed's items. Passed in by whoever serves the
        # feed (urls.py, the section page's route), since the models serve feeds too.
        self.articles = articles

    def __call__(self, request, *args, **kwargs):
        return serve_cacheable_feed(request, super().__call__(request, *args, **kwargs))

    def get_object(self, request, section=None):
        self.request = request
        site = Site.find_for_request(request)
        return {"root": section or site.root_page, "section": section}

    def title(self, obj):
        if obj["section"]:
            # Translators: a section's feed title, e.g. "Culture — The Harrowby Herald".
            return gettext("%(section)s — %(site)s") % {
                "section": obj["section"].title,
                "site": settings.SITE_NAME,
            }
        return settings.SITE_NAME

    def link(self, obj):
        return obj["root"].get_url(request=self.request) or "/"

    def description(self, obj):
        section = obj["section"]
        if section and section.description:
            return section.description
        return gettext("Latest articles from %(site)s") % {"site": settings.SITE_NAME}

    def items(self, obj):
        return self.articles(root=obj["root"])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or item.search_description

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(request=self.request))

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.published_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.section.title] if item.section else []


class ArticlesAtomFeed(ArticlesRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
