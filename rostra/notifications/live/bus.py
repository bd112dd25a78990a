"""Wake-ups for open live streams when a new LiveEvent row exists.

The rows are the truth (see LiveEvent); the bus only says “look again”. In one
process, publishers wake waiting streams directly. On PostgreSQL every process also
LISTENs on a channel and publishers NOTIFY it, so streams held by other `rostra serve`
processes wake as well. Streams also look again after a heartbeat interval, so a lost
wake-up costs latency, never an event.
"""

import asyncio
import logging
import threading

from django.db import connection

logger = logging.getLogger(__name__)

CHANNEL = "rostra_live"

_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
_lock = threading.Lock()
_listener_started = False


def wake_local() -> None:
    """Wake every stream waiting in this process; callable from any thread."""
    with _lock:
        waiters = list(_waiters)
    for loop, event in waiters:
        loop.call_soon_threadsafe(event.set)


def announce() -> None:
    """After a LiveEvent is committed: wake this process, and others on PostgreSQL."""
    wake_local()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])


async def wait(timeout: float) -> bool:
    """Sleep until woken or `timeout` seconds pass; True when woken."""
    _ensure_listener()
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    entry = (loop, event)
    with _lock:
        _waiters.add(entry)
    try:
        await asyncio.wait_for(event.wait(), timeout)
        return True
    except TimeoutError:
        return False
    finally:
        with _lock:
            _waiters.discard(entry)


def _ensure_listener() -> None:
    global _listener_started
    if _listener_started or connection.vendor != "postgresql":
        return
    with _lock:
        if _listener_started:
            return
        _listener_started = True
    threading.Thread(target=_listen_forever, name="rostra-live-listen", daemon=True).start()


def _listen_forever() -> None:  # pragma: no cover - runs for the life of the process
    import time

    import psycopg
    from django.db import connections

    params = connections["default"].get_connection_params()
    while True:
        try:
            with psycopg.connect(autocommit=True, **params) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                for _notice in conn.notifies():
                    wake_local()
        except Exception:
            logger.exception("live updates: lost the PostgreSQL LISTEN connection; retrying")
            time.sleep(1)
