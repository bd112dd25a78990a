"""The worker's sign of life, read by `/healthz?verbose`.

A thread of the worker process stamps its row every HEARTBEAT_SECONDS: one small
UPDATE, cheap even on SQLite. A stamp older than a few intervals means no worker is
running (or none can write to the database).
"""

import logging
import threading

from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from rostra.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30


def beat(worker_id: str, *, now=None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now or timezone.now()}
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
    """Stamp `worker_id` now, then every HEARTBEAT_SECONDS from a thread until the
    returned event is set (or the process ends: the thread is a daemon)."""
    stop = threading.Event()
    _try_beat(worker_id)

    def run():
        while not stop.wait(HEARTBEAT_SECONDS):
            _try_beat(worker_id)
            close_old_connections()

    threading.Thread(target=run, name="rostra-heartbeat", daemon=True).start()
    return stop
