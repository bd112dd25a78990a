"""Atom feeds of comments: the whole site, one article, or replies to one commenter."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from rostra.discussion.models import Comment, CommentStatus, Thread

FEED_LENGTH = 50
REPLIES_FEED_SALT = "rostra.notifications.replies-feed"


def replies_feed_token(author_key: str) -> str:
    return signing.dumps(author_key, salt=REPLIES_FEED_SALT)


def _public_comments():
    return (
        Comment.objects.filter(status=CommentStatus.APPROVED, deleted_at__isnull=True)
        .select_related("thread")
        .order_by("-created_at")
    )


class CommentsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, article_id=None, token=None):
        if article_id is not None:
            return {"thread": get_object_or_404(Thread, key=f"article:{article_id}")}
        if token is not None:
            try:
                return {"author_key": signing.loads(token, salt=REPLIES_FEED_SALT)}
            except signing.BadSignature:
                raise Http404("This feed address is not valid.") from None
        return {}

    def title(self, obj):
        if "thread" in obj:
            return f"Comments on “{obj['thread']}” — {settings.SITE_NAME}"
        if "author_key" in obj:
            return f"Replies to your comments — {settings.SITE_NAME}"
        return f"Recent comments — {settings.SITE_NAME}"

    def link(self, obj):
        return "/"

    def subtitle(self, obj):
        return self.title(obj)

    def items(self, obj):
        comments = _public_comments()
        if "thread" in obj:
            comments = comments.filter(thread=obj["thread"])
        elif "author_key" in obj:
            key = obj["author_key"]
            comments = comments.filter(
                Q(parent__author_key=key) | Q(reply_to__author_key=key)
            ).exclude(author_key=key)
        return comments[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.author_name} on “{item.thread}”"

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
