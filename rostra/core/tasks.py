"""Background work shared by every app.

Tasks are enqueued only once the surrounding transaction commits, so a worker never
sees an id whose row is not there yet, and a rolled-back request sends no e-mail.
Task bodies stay thin: they load by id and call a service. Every task names its queue
(rostra.core.queues); e-mail tasks send through `send_email_once`, keyed so that a run
taken back from a dead worker skips whoever was already served.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task

from rostra.core import queues
from rostra.core.email import send_email_once


def enqueue_on_commit(task_obj, *args, **kwargs) -> None:
    """Enqueue `task_obj` with JSON-serialisable arguments after the current commit."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


def enqueue_on_commit_after(delay: timedelta, task_obj, *args, **kwargs) -> None:
    """As `enqueue_on_commit`, to run `delay` after the commit at the earliest. Backends
    that cannot defer work (tests) run it at once."""

    def enqueue():
        if default_task_backend.supports_defer:
            task_obj.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)
        else:
            task_obj.enqueue(*args, **kwargs)

    transaction.on_commit(enqueue)


def run_id(context) -> str:
    """The id of the task run: the same when a run is taken back and run again."""
    return str(context.task_result.id)


@task(queue_name=queues.EMAIL, takes_context=True)
def send_email_task(
    context, *, template: str, template_context: dict, to: list[str], headers: dict | None = None
) -> int:
    """One message to each address of `to`, each sent once."""
    owner = run_id(context)
    return sum(
        send_email_once(
            key=f"task:{owner}",
            owner=owner,
            to=recipient,
            template=template,
            context=template_context,
            headers=headers,
        )
        for recipient in to
    )


@task(queue_name=queues.DEFAULT)
def prune_task() -> dict[str, int]:
    """Prune, then come back in PRUNE_EVERY: the worker keeps this chain going."""
    from rostra.core import retention

    removed = retention.prune()
    schedule_pruning(after=settings.PRUNE_EVERY)
    return removed


def schedule_pruning(*, after=None) -> None:
    """Queue the next prune unless one is already waiting. The worker calls this when it
    starts, so a fresh install (or a lost chain) is pruned within the hour. Backends that
    cannot defer work (tests) rely on `rostra prune` run from cron instead."""
    schedule_unless_waiting(prune_task, after=after)


def schedule_unless_waiting(task_obj, *, after=None) -> None:
    """Queue `task_obj` (no arguments) to run `after` from now, unless a run of it is
    already waiting: how a recurring task keeps one link of its chain queued. Nothing
    on backends that cannot defer work (tests)."""
    if not default_task_backend.supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=task_obj.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        task_obj.using(run_after=timezone.now() + (after or timedelta())).enqueue()
