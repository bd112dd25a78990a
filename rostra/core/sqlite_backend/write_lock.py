"""An exclusive `flock` on a file beside the database, one open file per connection.

The kernel queues the processes and threads waiting for it and wakes one as soon as the
holder lets go; SQLite's own busy handler instead polls, sleeping 1, 2, 5 … 100 ms
between tries, far longer than a short write holds the database (measured with 8
writers in 2 processes: p50 4 ms and p95 66 ms of waiting for transactions that hold
the lock well under 1 ms).

The lock belongs to the open file: closing it, or the process ending in any way, lets
go of it, so a killed writer never leaves it held.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


def lock_path(database: str) -> Path:
    """The lock file of the SQLite database at `database`."""
    return Path(f"{database}.write.lock")


class WriteLock:
    def __init__(self, path: Path):
        self._path = path
        self._file = self._open()
        self.held = False

    def _open(self):
        self._pid = os.getpid()
        # Not inherited by programs this process starts (Python's default).
        return open(self._path, "ab")

    def _own_file(self) -> None:
        """A forked child must not share the parent's open file: a lock taken or let go
        through it would be the parent's too."""
        if os.getpid() != self._pid:
            self._file = self._open()
            self.held = False

    def acquire(self) -> None:
        """Wait for the lock (no-op when this connection holds it already)."""
        self._own_file()
        if not self.held:
            fcntl.flock(self._file, fcntl.LOCK_EX)
            self.held = True

    def release(self) -> None:
        self._own_file()
        if self.held:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self.held = False

    @contextmanager
    def holding(self):
        """Hold the lock for the block, unless held already (then leave it held)."""
        if self.held:
            yield
            return
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def close(self) -> None:
        self.held = False
        self._file.close()
