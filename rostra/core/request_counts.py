"""Counting the HTTP requests a process answers, for /metrics.

Counting happens in memory (a lock and a dict: nothing on the request's path touches
the database). `rostra serve` starts a thread that adds the counts to the shared
totals in the database every FLUSH_SECONDS (services.request_counts_add); /metrics adds
its own process's counts before it reads, so a one-process site's answer is exact and
other processes' counts are at most FLUSH_SECONDS late. `serve` flushes once more when
it stops; a process killed outright loses at most FLUSH_SECONDS of counts: a counter
that lags, never one that counts twice.
"""

import logging
import threading
from collections import Counter

from django.db import DatabaseError, connection

from rostra.core.services import request_counts_add

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 10
# Labels are a closed set, so a client inventing methods cannot grow the table.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def labels(method: str, status: int) -> tuple[str, str]:
    return (method if method in METHODS else "other", f"{min(max(status // 100, 1), 5)}xx")


class RequestCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending: Counter[tuple[str, str]] = Counter()

    def count(self, method: str, status: int) -> None:
        with self._lock:
            self._pending[labels(method, status)] += 1

    def discard(self) -> None:
        """Forget the counts made since the last flush (requests nobody asked for:
        `rostra serve`'s warm-up)."""
        with self._lock:
            self._pending.clear()

    def flush(self) -> None:
        """Add the counts made since the last flush to the database totals; on a
        database error keep them for the next flush."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
        if not pending:
            return
        try:
            request_counts_add(counts=pending)
        except DatabaseError:
            logger.warning("request counts: could not write, will retry", exc_info=True)
            with self._lock:
                self._pending.update(pending)


counter = RequestCounter()

_flushing_started = threading.Lock()
_stop_flushing = threading.Event()  # never set in production: the thread dies with the process


def start_flushing() -> None:
    """Flush `counter` every FLUSH_SECONDS from a daemon thread (once per process)."""
    if not _flushing_started.acquire(blocking=False):
        return

    def run():
        while not _stop_flushing.wait(FLUSH_SECONDS):
            counter.flush()
            connection.close()  # no idle connection held between flushes

    threading.Thread(target=run, name="rostra-request-counts", daemon=True).start()
