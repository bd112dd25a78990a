"""An exclusive `flock` on a file beside the database, one open file per connection.

The kernel wakes the processes and threads waiting for it as soon as the holder lets
go; SQLite's own busy handler instead polls, sleeping 1, 2, 5 … 100 ms between tries,
far longer than a short write holds the database (measured with 8 writers in 2
processes doing transactions that hold it well under 1 ms: waits of 110-165 ms at p99
and up to 1.2 s through the busy handler, 40-80 ms and 0.3 s through this lock). When
a process's threads are all busy, the median wait grows instead (4 ms to 10-18 ms): a
woken writer holds the lock until its thread gets the GIL back, up to
sys.getswitchinterval() later.

The lock belongs to the open file: closing it, or the process ending in any way, lets
go of it, so a killed writer never leaves it held. A writer waits for it as long as the
holder keeps it (a long import's transaction, say), where SQLite's busy timeout would
have given up with "database is locked" after 20 s.
"""

import ctypes
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

# flock called without letting go of the GIL (ctypes.PyDLL keeps it), for the calls that
# never wait: taking a free lock and letting go. Through fcntl.flock, which lets go of it
# for every call, a thread taking a free lock would often find another of its process's
# threads running on its return, and hold the lock idle until that one yields (up to
# sys.getswitchinterval(), 5 ms).
_libc = ctypes.PyDLL(None)


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
            if not self._flock_without_waiting(fcntl.LOCK_EX | fcntl.LOCK_NB):
                fcntl.flock(self._file, fcntl.LOCK_EX)  # waits, letting other threads run
            self.held = True

    def release(self) -> None:
        self._own_file()
        if self.held:
            if not self._flock_without_waiting(fcntl.LOCK_UN):
                fcntl.flock(self._file, fcntl.LOCK_UN)  # raises what went wrong
            self.held = False

    def _flock_without_waiting(self, operation: int) -> bool:
        """Whether `operation` succeeded (False: the lock is held by another, or an
        error for fcntl.flock to raise)."""
        return _libc.flock(self._file.fileno(), operation) == 0

    @contextmanager
    def holding(self):
        """Hold the lock for the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def close(self) -> None:
        self.held = False
        self._file.close()
