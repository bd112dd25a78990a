"""The background worker: one thread per queue, none of them stopped by the database.

django_tasks_db's `Worker` claims a task and runs it; `QueueWorker` keeps its running
and recording but owns the loop, so that:

- a locked database (SQLite while another process writes) or a lost connection
  (PostgreSQL restarted) while claiming is logged and retried after a bounded
  exponential back-off, with a broken connection dropped, instead of ending the process;
- each queue has a thread of its own (rostra.core.queues): a backlog of e-mail never
  keeps an import waiting;
- a stop request lets every thread finish the task at hand (`run` below).

`run` is also where the process takes back tasks of dead workers (task_recovery).
"""

import logging
import signal
import threading
from contextlib import suppress

from django.db import DatabaseError, connection
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from rostra.core import app_hooks
from rostra.core.heartbeat import beat_interval, start_beating
from rostra.core.scheduled_publishing import publish_due
from rostra.core.task_recovery import requeue_abandoned
from rostra.core.tasks import schedule_pruning

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def backoff_seconds(failures: int) -> float:
    """0.5 s after the first failure in a row, doubling, never more than 30 s."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (failures - 1))


def drop_connection_if_broken() -> None:
    """Close this thread's connection if the error left it unusable; the next query
    opens a new one."""
    with suppress(DatabaseError):
        connection.close_if_unusable_or_obsolete()


class QueueWorker(Worker):
    """Claims and runs the tasks of one queue until `stopping` is set (or, in `batch`
    mode, until the queue has no task ready)."""

    def __init__(
        self, *, queue_name: str, worker_id: str, stopping: threading.Event, batch: bool = False
    ):
        super().__init__(
            queue_names=[queue_name],
            interval=POLL_SECONDS,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.queue_name = queue_name
        self.stopping = stopping

    def run(self) -> None:
        failures = 0
        try:
            while not self.stopping.is_set():
                try:
                    task_result = self.claim_next()
                except DatabaseError as error:
                    failures += 1
                    delay = backoff_seconds(failures)
                    logger.warning(
                        "queue %s: could not claim a task (%s); trying again in %.1f s",
                        self.queue_name,
                        error,
                        delay,
                    )
                    drop_connection_if_broken()
                    self.stopping.wait(delay)
                    continue
                failures = 0
                if task_result is None and self.batch:
                    return
                if task_result is None:
                    self.stopping.wait(self.interval)
                else:
                    self.run_task(task_result)
        finally:
            connection.close()

    def claim_next(self) -> DBTaskResult | None:
        """The next ready task of this queue, marked RUNNING by this worker, or None."""
        drop_connection_if_broken()
        ready = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name=self.queue_name
        )
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError:
            # The task ran but its outcome could not be written: it is still RUNNING
            # under a live worker, which nobody would take back. Queue it again.
            logger.exception(
                "queue %s: task %s could not be recorded", self.queue_name, db_task_result.pk
            )
            self._give_back(db_task_result)

    def _give_back(self, db_task_result: DBTaskResult) -> None:
        failures = 0
        while not self.stopping.is_set():
            drop_connection_if_broken()
            try:
                DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                    status=TaskResultStatus.READY
                )
                return
            except DatabaseError:
                failures += 1
                self.stopping.wait(backoff_seconds(failures))


def run(*, queue_names: list[str], worker_id: str, batch: bool = False) -> None:
    """Serve `queue_names`, a thread each, until SIGTERM or SIGINT (in `batch` mode:
    until they have no task ready); then let each thread finish its task and return.
    A second signal ends the process at once.

    The stop signals are blocked before any thread starts, so they all reach this
    (main) thread, which waits for them with `sigtimedwait` between rounds of upkeep:
    taking back abandoned tasks and scheduling the prune and the apps' recurring tasks.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    stopping = threading.Event()
    stop_beating = start_beating(worker_id)
    upkeep_pending = _upkeep(schedule=True)
    threads = [
        threading.Thread(
            target=QueueWorker(
                queue_name=name, worker_id=worker_id, stopping=stopping, batch=batch
            ).run,
            name=f"rostra-worker-{name}",
            daemon=True,  # a second signal must not wait for them
        )
        for name in queue_names
    ]
    for thread in threads:
        thread.start()
    logger.info("worker %s serving queues %s", worker_id, ", ".join(queue_names))
    # A batch run ends when its threads do: look at them more often.
    wait_seconds = POLL_SECONDS if batch else beat_interval()
    try:
        while any(thread.is_alive() for thread in threads):
            received = signal.sigtimedwait(STOP_SIGNALS, wait_seconds)
            if received is not None:
                logger.warning(
                    "worker %s: %s, finishing the tasks at hand (again to stop at once)",
                    worker_id,
                    signal.strsignal(received.si_signo),
                )
                break
            upkeep_pending = _upkeep(schedule=upkeep_pending)
    finally:
        stopping.set()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        for thread in threads:
            thread.join()
        stop_beating.set()


def _upkeep(*, schedule: bool) -> bool:
    """Take back abandoned tasks, publish what editors scheduled and (once) schedule the
    prune and the apps' recurring tasks (`rostra_schedule`); return whether they still
    need scheduling. A database error is logged and tried next round."""
    try:
        requeue_abandoned()
        publish_due()
        if schedule:
            schedule_pruning()
            for schedule_app_task in app_hooks.registered("rostra_schedule"):
                schedule_app_task()
            schedule = False
    except DatabaseError as error:
        logger.warning("worker upkeep: database unavailable (%s); trying again", error)
        drop_connection_if_broken()
    return schedule
