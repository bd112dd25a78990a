"""The thread version, written: bumped in the same transaction as every change a reader could
see, so that caches keyed on it (the thread's JSON, its comment section, the article
page's validator) never outlive the write."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from rostra.discussion.models import Comment, Thread


def thread_version_bump(*thread_ids: int, votes_only: bool = False) -> None:
    """One UPDATE: version = version + 1 on each thread named (SQL arithmetic, so two
    writers in parallel both count). Written as SQL: every vote runs it, and building
    the ORM's UPDATE with an F() expression cost more than running it.

    `votes_only`: the change is scores alone (a vote), so `vote_bumps` moves with the
    version and `Thread.content_version` stays: the thread's cached text and tree are
    reused and only the scores read again. Any other change leaves it False."""
    ids = sorted({int(thread_id) for thread_id in thread_ids if thread_id is not None})
    if not ids:
        return
    quote = connection.ops.quote_name
    version = quote(Thread._meta.get_field("version").column)
    moves = f"{version} = {version} + 1"
    if votes_only:
        vote_bumps = quote(Thread._meta.get_field("vote_bumps").column)
        moves += f", {vote_bumps} = {vote_bumps} + 1"
    places = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Thread._meta.db_table)} SET {moves} "  # noqa: S608 - model's names
            f"WHERE {quote(Thread._meta.pk.column)} IN ({places})",
            ids,
        )


def thread_version_bump_for_comments(comment_ids: Iterable[int]) -> None:
    """Bump the threads of these comments, found by the same statement."""
    ids = set(comment_ids)
    if ids:
        Thread.objects.filter(pk__in=Comment.objects.filter(pk__in=ids).values("thread_id")).update(
            version=F("version") + 1
        )
