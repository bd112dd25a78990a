"""The thread version, written: bumped in the same transaction as every change a reader could
see, so that caches keyed on it (the thread's JSON, its comment section, the article
page's validator) never outlive the write."""

from collections.abc import Iterable

from django.db.models import F

from rostra.discussion.models import Comment, Thread


def thread_version_bump(*thread_ids: int) -> None:
    """One UPDATE: version = version + 1 on each thread named (SQL arithmetic, so two
    writers in parallel both count)."""
    ids = {thread_id for thread_id in thread_ids if thread_id is not None}
    if ids:
        Thread.objects.filter(pk__in=ids).update(version=F("version") + 1)


def thread_version_bump_for_comments(comment_ids: Iterable[int]) -> None:
    """Bump the threads of these comments, found by the same statement."""
    ids = set(comment_ids)
    if ids:
        Thread.objects.filter(pk__in=Comment.objects.filter(pk__in=ids).values("thread_id")).update(
            version=F("version") + 1
        )
