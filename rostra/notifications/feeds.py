"""Atom feeds of comments: the whole site, one article, or replies to one commenter."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from rostra.core.compiled_queries import CompiledQuery
from rostra.core.page_cache import mark_private, serve_cacheable_feed
from rostra.discussion import selectors
from rostra.notifications.models import RepliesFeedKey

FEED_LENGTH = 50
REPLIES_FEED_SALT = "rostra.notifications.replies-feed"


# Asked on every signed-in reader's article page (the Notify-of row's feed link):
# compiled once, as building the query costs more than running it.
_FEED_KEY = CompiledQuery(
    lambda author_key: RepliesFeedKey.objects.filter(author_key=author_key).only("version")[:1],
    [str],
)


def replies_feed_version(author_key: str) -> int:
    """The version of a reader's replies feed: resetting it retires older addresses."""
    found = _FEED_KEY.first(author_key)
    return found.version if found is not None else 0


def replies_feed_token(author_key: str, version: int | None = None) -> str:
    """The private address of a reader's replies feed: signed, and carrying the feed's
    version (read unless given) so that resetting it (`services.replies_feed_reset`)
    retires older ones."""
    if version is None:
        version = replies_feed_version(author_key)
    return signing.dumps([author_key, version], salt=REPLIES_FEED_SALT)


def replies_feed_owner(token: str) -> str | None:
    """The author key behind a replies feed address; None if forged or reset since."""
    try:
        payload = signing.loads(token, salt=REPLIES_FEED_SALT)
    except signing.BadSignature:
        return None
    if isinstance(payload, str):  # given out before feeds could be reset: version 0
        payload = [payload, 0]
    match payload:
        case [str(author_key), int(version)] if version == replies_feed_version(author_key):
            return author_key
    return None


class CommentsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if "token" in kwargs:  # one commenter's replies: theirs alone
            mark_private(response)
            return response
        return serve_cacheable_feed(request, response)

    def get_object(self, request, article_id=None, token=None):
        if article_id is not None:
            article = selectors.article_for_reader(article_id)
            thread = selectors.thread_of(article) if article is not None else None
            if thread is None:
                raise Http404(_("No comments on this article."))
            return {"thread": thread, "headline": article.title}
        if token is not None:
            author_key = replies_feed_owner(token)
            if author_key is None:
                raise Http404(_("This feed address is not valid."))
            return {"author_key": author_key}
        return {}

    def title(self, obj):
        names = {"site_name": settings.SITE_NAME, "headline": obj.get("headline")}
        if "thread" in obj:
            return _("Comments on “%(headline)s” — %(site_name)s") % names
        if "author_key" in obj:
            return _("Replies to your comments — %(site_name)s") % names
        return _("Recent comments — %(site_name)s") % names

    def link(self, obj):
        return "/"

    def subtitle(self, obj):
        return self.title(obj)

    def items(self, obj):
        comments = selectors.public_comments()
        if "thread" in obj:
            comments = comments.filter(thread=obj["thread"])
        elif "author_key" in obj:
            key = obj["author_key"]
            comments = comments.filter(
                Q(parent__author_key=key) | Q(reply_to__author_key=key)
            ).exclude(author_key=key)
        return comments[:FEED_LENGTH]

    def item_title(self, item):
        return _("%(author)s on “%(headline)s”") % {
            "author": item.author_name,
            "headline": item.headline,
        }

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return reverse("discussion:permalink", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return item.author_name
