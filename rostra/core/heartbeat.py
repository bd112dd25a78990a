"""The worker's sign of life, read by `/healthz?verbose`.

A thread of the worker process stamps its row every `beat_interval()` (30 seconds, less
when WORKER_LOST_AFTER is short): one small UPDATE, cheap even on SQLite. A stamp older
than WORKER_LOST_AFTER means the worker is gone: its tasks are taken back
(rostra.core.task_recovery).
"""

import logging
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from rostra.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30


def beat_interval() -> float:
    """Seconds between stamps: several stamps fit in WORKER_LOST_AFTER, so one stamp
    delayed by a busy database does not make a live worker look lost."""
    return min(HEARTBEAT_SECONDS, settings.WORKER_LOST_AFTER.total_seconds() / 4)


def beat(worker_id: str, *, now=None, host: str = "") -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now or timezone.now(), "host": host or socket.gethostname()},
    )


def _try_beat(worker_id: str) -> None:
    try:
        beat(worker_id)
    except DatabaseError:  # a locked or lost database: try again next time
        logger.warning("worker heartbeat: could not write", exc_info=True)


def last_beat():
    """When any worker was last seen, or None if none ever was."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def start_beating(worker_id: str) -> threading.Event:
    """Stamp `worker_id` now, then every `beat_interval()` from a thread until the
    returned event is set (or the process ends: the thread is a daemon)."""
    stop = threading.Event()
    _try_beat(worker_id)
    interval = beat_interval()

    def run():
        while not stop.wait(interval):
            _try_beat(worker_id)
            close_old_connections()

    threading.Thread(target=run, name="rostra-heartbeat", daemon=True).start()
    return stop
