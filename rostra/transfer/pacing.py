"""How much an import writes per transaction, and how long it lets others write between.

SQLite has one write lock for the whole database; a reader posting a comment waits for
it while an import's batch holds it. So a batch is filled up to about `TARGET_SECONDS`
of work, estimated from what each kind of record cost in the batches before (an
article costs many times a comment, and machines differ), and the lock is then left
free for a moment. SQLite gives the lock to no one in particular: a waiting writer
sleeps and retries (after 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 ms, then every
100 ms), and an import that took the lock back at once could keep finding it first. So
the pause after a batch is longer than the gap between retries of a writer that has
waited as long as that batch ran: one of its retries falls in the pause. PostgreSQL
locks rows, not the database, and queues waiters: there the import does not pause.
"""

import time
from collections import defaultdict

from django.db import connection

TARGET_SECONDS = 0.08
# (a batch that held the lock up to this long, the pause after it): SQLite's retries
# come 25 ms apart until a writer has waited 128 ms, 50 ms apart until 228 ms, then
# every 100 ms.
PAUSES = ((0.1, 0.03), (0.175, 0.055), (float("inf"), 0.105))
FIRST_GUESS = {"article": 0.02}  # seconds per record before anything was measured
OTHERS_FIRST_GUESS = 0.004


class Pacer:
    def __init__(self, fixed_size: int | None = None):
        """`fixed_size`: that many records per batch instead of sizing by time."""
        self.fixed = fixed_size
        self.cost: dict[str, float] = defaultdict(lambda: OTHERS_FIRST_GUESS, FIRST_GUESS)
        self.pauses = connection.vendor == "sqlite"
        self._pause = 0.0
        self._committed_at = 0.0

    def fits(self, records: int, estimate: float) -> bool:
        """Whether a batch of `records` records, estimated to take `estimate` seconds
        (the sum of `cost` of their kinds), is within the target. A batch holds at least
        one record, however long that takes."""
        if self.fixed:
            return records <= self.fixed
        return records == 1 or estimate <= TARGET_SECONDS

    def wait_turn(self) -> None:
        """Before a batch: leave the lock to others for a moment after the last one."""
        if self.pauses and self._committed_at:
            rest = self._pause - (time.monotonic() - self._committed_at)
            if rest > 0:
                time.sleep(rest)

    def committed(self, seconds: float, spent: dict[str, tuple[int, float]]) -> None:
        """After a batch that held the lock for `seconds`: `spent` is, by kind, how many
        records were written in how many seconds."""
        self._committed_at = time.monotonic()
        self._pause = next(pause for longest, pause in PAUSES if seconds <= longest)
        for kind, (records, kind_seconds) in spent.items():
            if records:
                self.cost[kind] = (self.cost[kind] + kind_seconds / records) / 2
