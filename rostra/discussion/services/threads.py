"""Threads: the discussion of an article, and whether it is open."""

from datetime import datetime

from django.utils import timezone

from rostra.discussion.models import Thread
from rostra.discussion.policy import Policy
from rostra.discussion.selectors.access import ARTICLE_PUBLISHED_AT


def thread_for_article(article) -> Thread:
    """The article's thread, created on first use."""
    thread, _ = Thread.objects.get_or_create(
        key=f"article:{article.pk}",
        defaults={"article": article, "title": article.title[:255]},
    )
    return thread


def thread_is_open(thread: Thread, policy: Policy, *, now: datetime | None = None) -> bool:
    if thread.is_closed:
        return False
    if policy.close_after and thread.article_id:
        return (now or timezone.now()) < _article_published_at(thread) + policy.close_after
    return True


def _article_published_at(thread: Thread) -> datetime:
    """As the readers' selectors fetched it with the thread (no page object built for
    it), else from the thread's article."""
    published_at = getattr(thread, ARTICLE_PUBLISHED_AT, None)
    return published_at if published_at is not None else thread.article.published_at
