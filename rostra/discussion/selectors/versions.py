"""The thread version (`Thread.version`), read for cache keys and page validators;
`services.versions` bumps it with every change a reader could see."""

from django.db.models import QuerySet

from rostra.discussion.models import Thread


def thread_version(thread_id: int) -> int:
    """The thread's current version; 0 for a thread that does not exist (yet)."""
    found = Thread.objects.filter(pk=thread_id).values_list("version", flat=True).first()
    return found or 0


def article_thread_version_query(article_id: int) -> QuerySet:
    """The comment section's part of an article page's version (core.page_cache): the
    version of the article's thread, as a query of one value (none before the first
    comment)."""
    return Thread.objects.filter(article_id=article_id).values_list("version")[:1]


def article_thread_version(article_id: int) -> str:
    """The comment section's part of an article page's validator (core.page_cache): the
    version of the article's thread, in one query, or "no thread" before its first
    comment."""
    found = Thread.objects.filter(article_id=article_id).values_list("version", flat=True).first()
    return "no thread" if found is None else f"thread {found}"
