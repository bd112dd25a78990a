"""Wake-ups for open live streams when a new LiveEvent row exists.

The rows are the truth (see LiveEvent); a bus only says “look again”. Two backends
behind one interface, chosen by the database: `InProcessBus` wakes the streams of this
process; `PostgresBus` also NOTIFYs a channel that every `rostra serve` process
LISTENs on, so streams held by other processes wake as well. Streams look again after
each heartbeat interval too, so a lost wake-up costs latency, never an event.
"""

import asyncio
import logging
import threading
import time

from django.db import connection, connections

logger = logging.getLogger(__name__)

CHANNEL = "rostra_live"


class InProcessBus:
    def __init__(self):
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()

    def wake_local(self) -> None:
        """Wake every stream waiting in this process; callable from any thread."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    def announce(self) -> None:
        """Called after a LiveEvent is committed."""
        self.wake_local()

    async def wait(self, timeout: float) -> bool:
        """Sleep until woken or `timeout` seconds pass; True when woken."""
        loop = asyncio.get_running_loop()
        entry = (loop, asyncio.Event())
        with self._lock:
            self._waiters.add(entry)
        try:
            await asyncio.wait_for(entry[1].wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters.discard(entry)


class PostgresBus(InProcessBus):
    def __init__(self):
        super().__init__()
        self._listening = False

    def announce(self) -> None:
        self.wake_local()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])

    async def wait(self, timeout: float) -> bool:
        self._listen()
        return await super().wait(timeout)

    def _listen(self) -> None:
        with self._lock:
            if self._listening:
                return
            self._listening = True
        threading.Thread(target=self._listen_forever, name="rostra-live", daemon=True).start()

    def _listen_forever(self) -> None:  # pragma: no cover - runs for the process's life
        import psycopg

        params = connections["default"].get_connection_params()
        while True:
            try:
                with psycopg.connect(autocommit=True, **params) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    for _notice in conn.notifies():
                        self.wake_local()
            except Exception:
                logger.exception("live updates: lost the PostgreSQL LISTEN connection")
                time.sleep(1)


_bus: InProcessBus | None = None


def get_bus() -> InProcessBus:
    global _bus
    if _bus is None:
        _bus = PostgresBus() if connection.vendor == "postgresql" else InProcessBus()
    return _bus


def announce() -> None:
    get_bus().announce()


async def wait(timeout: float) -> bool:
    return await get_bus().wait(timeout)
