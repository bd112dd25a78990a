"""Retention: rows and files Rostra no longer needs, removed after a window.

`prune()` is the one entry point: the worker runs it every hour (see
`rostra.core.tasks.prune_task`) and `rostra prune` on demand. Each app says what it
lets go of in its own `retention` module, registered as the `rostra_prune` hook
(rostra.core.app_hooks); the windows are `settings.RETENTION`.

Rows go in batches of BATCH, each in its own short transaction, so SQLite's write lock
is never held for long and posting and voting carry on while a large backlog is pruned.
"""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rostra.core.app_hooks import registered
from rostra.core.cache import DatabaseCache
from rostra.core.models import EmailDelivery, WorkerHeartbeat

BATCH = 1000


def delete_in_batches(queryset: QuerySet, *, dry_run: bool = False) -> int:
    """Delete the rows of `queryset` BATCH at a time; return how many went (or would)."""
    if dry_run:
        return queryset.count()
    model = queryset.model
    deleted = 0
    while True:
        batch = list(queryset.order_by().values_list("pk", flat=True)[:BATCH])
        if not batch:
            return deleted
        with transaction.atomic():
            model.objects.filter(pk__in=batch).delete()
        deleted += len(batch)


def _core(now, dry_run: bool) -> dict[str, int]:
    window = settings.RETENTION
    return {
        "finished task results": delete_in_batches(
            DBTaskResult.objects.finished().filter(finished_at__lt=now - window["task_results"]),
            dry_run=dry_run,
        ),
        "expired sessions": delete_in_batches(
            Session.objects.filter(expire_date__lt=now), dry_run=dry_run
        ),
        "worker heartbeats": delete_in_batches(
            WorkerHeartbeat.objects.filter(seen_at__lt=now - window["worker_heartbeats"]),
            dry_run=dry_run,
        ),
        "expired cache entries": sum(
            cache.delete_expired(now=now, dry_run=dry_run) for cache in _database_caches()
        ),
        # Long after any task could run again: tasks results go after 14 days.
        "e-mail delivery records": delete_in_batches(
            EmailDelivery.objects.filter(claimed_at__lt=now - window["email_deliveries"]),
            dry_run=dry_run,
        ),
    }


def _database_caches() -> list[DatabaseCache]:
    """The caches kept in a database table (CACHE_URL=db:)."""
    return [caches[alias] for alias in settings.CACHES if isinstance(caches[alias], DatabaseCache)]


def prune(*, now=None, dry_run: bool = False) -> dict[str, int]:
    """Remove everything past its window; how many of each kind went (or would go)."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    removed.update(_core(now, dry_run))
    for pruner in registered("rostra_prune"):
        removed.update(pruner(now, dry_run))
    return removed
