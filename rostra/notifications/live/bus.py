"""Wake-ups for open live streams when a new LiveEvent row exists.

The rows are the truth (see LiveEvent); a bus only says “look again”. `InProcessBus`
wakes the streams of this process; the bus a process uses, chosen by the database, also
hears of rows other processes wrote: `PostgresBus` NOTIFYs a channel that every
`rostra serve` process LISTENs on; `PollingBus` (SQLite, which has no NOTIFY) reads the
highest LiveEvent id every POLL_SECONDS while streams wait. Streams look again after
each heartbeat interval too, so a lost wake-up costs latency, never an event.
"""

import asyncio
import logging
import threading
import time

from django.db import DatabaseError, connection, connections
from django.db.models import Max

logger = logging.getLogger(__name__)

CHANNEL = "rostra_live"
# One index lookup per process ten times a second, only while streams wait: the delay
# a reader on another process may see, against a query too cheap to notice.
POLL_SECONDS = 0.1


class InProcessBus:
    def __init__(self):
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()
        self._wakes = 0

    def wakes(self) -> int:
        """How many wake-ups so far: read it before looking at the rows, and pass it to
        `wait` as `after`, so a wake-up that came while looking is not lost."""
        return self._wakes

    def wake_local(self) -> None:
        """Wake every stream waiting in this process; callable from any thread."""
        with self._lock:
            self._wakes += 1
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    def announce(self) -> None:
        """Called after a LiveEvent is committed."""
        self.wake_local()

    async def wait(self, timeout: float, *, after: int | None = None) -> bool:
        """Sleep until woken or `timeout` seconds pass; True when woken. With `after`
        (a value of `wakes()`), at once when a wake-up came since."""
        loop = asyncio.get_running_loop()
        entry = (loop, asyncio.Event())
        with self._lock:
            if after is not None and self._wakes != after:
                return True
            self._waiters.add(entry)
            self._someone_waits()
        try:
            await asyncio.wait_for(entry[1].wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters.discard(entry)

    def _someone_waits(self) -> None:
        """Called (holding the lock) as a stream starts waiting."""


class PollingBus(InProcessBus):
    """SQLite: other processes (the other servers of `serve --workers N`, the task
    worker, a `rostra` command) write LiveEvent rows this process is never told about.
    While streams wait here, one thread reads the highest id every POLL_SECONDS and
    wakes them when it grew; with no stream waiting it sleeps and holds no connection."""

    def __init__(self):
        super().__init__()
        self._polling = threading.Event()
        self._poller: threading.Thread | None = None
        self._seen: int | None = None

    def _someone_waits(self) -> None:
        self._polling.set()
        if self._poller is None:
            self._poller = threading.Thread(
                target=self._poll_forever, name="rostra-live-poll", daemon=True
            )
            self._poller.start()

    def _poll_forever(self) -> None:  # pragma: no cover - runs for the process's life
        while True:
            self._polling.wait()
            self.poll_once()
            time.sleep(POLL_SECONDS)
            with self._lock:
                idle = not self._waiters
                if idle:
                    self._polling.clear()
            if idle:
                connection.close()

    def poll_once(self) -> None:
        """Wake the waiting streams if the highest LiveEvent id grew since the last
        look (or on the first look: what the streams have seen is not known here)."""
        from rostra.notifications.models import LiveEvent

        try:
            latest = LiveEvent.objects.aggregate(latest=Max("id"))["latest"] or 0
        except DatabaseError:
            logger.warning("live updates: could not read the latest event", exc_info=True)
            connection.close()
            return
        if self._seen is None or latest > self._seen:
            self.wake_local()
        self._seen = latest


class PostgresBus(InProcessBus):
    def __init__(self):
        super().__init__()
        self._listening = False

    def announce(self) -> None:
        self.wake_local()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])

    async def wait(self, timeout: float, *, after: int | None = None) -> bool:
        self._listen()
        return await super().wait(timeout, after=after)

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
        _bus = PostgresBus() if connection.vendor == "postgresql" else PollingBus()
    return _bus


def announce() -> None:
    get_bus().announce()


def wakes() -> int:
    return get_bus().wakes()


async def wait(timeout: float, *, after: int | None = None) -> bool:
    return await get_bus().wait(timeout, after=after)
