"""Threads: the discussion of an article, and whether it is open."""

from datetime import datetime

from django.utils import timezone

from rostra.discussion.models import Thread
from rostra.discussion.policy import Policy


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
        published_at = thread.article.published_at
        return (now or timezone.now()) < published_at + policy.close_after
    return True
