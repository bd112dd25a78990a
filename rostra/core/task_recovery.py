"""Taking back tasks that a dead worker left RUNNING.

A worker claims a task by marking it RUNNING with its id (django_tasks_db). If the
process dies (kill -9, out of memory, the machine restarts), nothing would ever run the
task again. Every worker stamps a heartbeat (rostra.core.heartbeat); a RUNNING task
whose worker has not stamped for WORKER_LOST_AFTER is put back in its queue, where it
keeps its place (its enqueue time). Re-running is safe: e-mail goes through the
per-recipient ledger and imports skip what they already wrote.

A task that took its worker down MAX_ATTEMPTS times (one that exhausts memory, say) is
marked failed instead, so it cannot take every worker down in turn.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rostra.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def requeue_abandoned(*, now=None) -> int:
    """Put back (or fail, after MAX_ATTEMPTS) each RUNNING task claimed more than
    WORKER_LOST_AFTER ago by a worker not seen since; return how many were handled.
    Safe to run from several workers at once: each change is a conditional UPDATE."""
    now = now or timezone.now()
    lost_before = now - settings.WORKER_LOST_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=lost_before).values_list("worker_id", flat=True)
    )
    handled = 0
    for task in (
        DBTaskResult.objects.running()
        .filter(started_at__lt=lost_before)
        .only("id", "worker_ids", "started_at", "task_path")
    ):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        unchanged = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            handled += unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=f"Its worker stopped during each of {len(task.worker_ids)} attempts.",
            )
            logger.error("task %s (%s) failed: its worker died each time", task.pk, task.task_path)
        elif unchanged.update(status=TaskResultStatus.READY):
            handled += 1
            logger.warning(
                "task %s (%s) taken back from lost worker %s",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    return handled
