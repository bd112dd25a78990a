"""Write-ahead log checkpoints in a thread of their own, off the writers' path.

In WAL mode SQLite appends each commit to the log and copies the log back into the
database later (a checkpoint). Left to itself, it does so in the commit that takes the
log past `wal_autocheckpoint` pages (1,000 by default): that commit then writes every
page changed since the last checkpoint and waits for two fsyncs, while it still holds
Rostra's write lock (write_lock.py), so every writer queued behind it waits as well.
Measured on the bench site: a post's commit took 0.96 ms on average that way and
0.25 ms without (fsync here takes 1 ms; on many disks it takes far longer).

Each process that opens the database runs one thread that asks for a PASSIVE
checkpoint every CHECKPOINT_SECONDS: it copies what no reader still needs without
waiting for readers or writers, and writers go on appending meanwhile. The writers'
connections keep an automatic checkpoint only as a safety net, at AUTOCHECKPOINT_PAGES
(settings.py), should the thread fall behind (or not run: the sqlite3 shell).
"""

import logging
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

logger = logging.getLogger(__name__)

# Each checkpoint opens a connection (about 3 ms of CPU). Never look at the log's
# shared index file directly to skip one: closing any file descriptor of it in this
# process would drop every lock SQLite's connections here hold on it (POSIX locks
# belong to the process), and another process could then take itself for the first
# user, reset the index and kill every process that has it mapped (SIGBUS).
CHECKPOINT_SECONDS = 5.0
# About 40 MB of log at SQLite's 4 KiB pages.
AUTOCHECKPOINT_PAGES = 10_000

# Database path -> the process whose thread checkpoints it (a forked child has no
# threads: it starts its own).
_running: dict[str, int] = {}
_starting = threading.Lock()


def keep_checkpointed(database: str) -> None:
    """Start this process's checkpoint thread for the database file `database`, unless
    it runs already."""
    with _starting:
        if _running.get(database) == os.getpid():
            return
        _running[database] = os.getpid()
    threading.Thread(
        target=_checkpoint_every_while,
        args=(database,),
        name="rostra-wal-checkpoint",
        daemon=True,
    ).start()


def checkpoint(database: str) -> None:
    """One PASSIVE checkpoint, through a connection of its own that ends with it (so
    none is carried into a forked process). Another process's checkpoint at the same
    moment makes this one give up at once ("database is locked"): that one does it."""
    uri = f"{Path(database).resolve().as_uri()}?mode=rw"  # never creates a database
    with closing(sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)) as db:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


def _checkpoint_every_while(database: str) -> None:
    never = threading.Event()  # a daemon thread: it ends with its process
    while not never.wait(CHECKPOINT_SECONDS):
        if not os.path.exists(database):  # removed (a test's, a restore's old file)
            _running.pop(database, None)
            return
        try:
            with _checkpointing:
                checkpoint(database)
        except sqlite3.Error as error:
            logger.debug("WAL checkpoint of %s skipped: %s", database, error)


# Held while a checkpoint runs, and by a thread of this process that forks (`serve`
# forks its servers and worker while its own thread runs): a child forked in the middle
# of a checkpoint would inherit SQLite's mutexes locked, with nobody to unlock them, and
# hang in its first database call.
_checkpointing = threading.Lock()


def _before_fork() -> None:
    _starting.acquire()
    _checkpointing.acquire()


def _after_fork_in_parent() -> None:
    _checkpointing.release()
    _starting.release()


def _after_fork_in_child() -> None:
    global _starting, _checkpointing
    _starting, _checkpointing = threading.Lock(), threading.Lock()


os.register_at_fork(
    before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child
)
