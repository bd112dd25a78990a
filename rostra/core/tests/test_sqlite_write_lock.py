"""SQLite writers queue on a lock file beside the database (rostra.core.sqlite_backend)
instead of polling SQLite's busy handler. The writers here have no busy timeout at all:
one that met the database locked would fail with "database is locked"."""

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import load_backend

from rostra.core.sqlite_backend.write_lock import lock_path

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")

ENGINE = "rostra.core.sqlite_backend"
ALIAS = "sqlite_write_lock_test"
DEADLINE = 30  # seconds; only ever reached when something is broken


@pytest.fixture
def database(tmp_path) -> Path:
    """A WAL database with a vote table and a total, as the writers expect."""
    path = tmp_path / "votes.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE vote (voter TEXT)")
        db.execute("CREATE TABLE total (votes INTEGER)")
        db.execute("INSERT INTO total VALUES (0)")
    return path


@pytest.fixture
def writer(database, django_db_blocker):
    """The alias ALIAS: a connection of the test's thread to `database`, configured as
    settings.py configures Rostra's, but with no busy timeout."""
    config = {**connections.settings["default"], "ENGINE": ENGINE, "NAME": str(database)}
    config["OPTIONS"] = {**config["OPTIONS"], "timeout": 0}
    wrapper = load_backend(ENGINE).DatabaseWrapper(config, ALIAS)
    connections[ALIAS] = wrapper
    try:
        with django_db_blocker.unblock():
            yield wrapper
    finally:
        wrapper.close()
        del connections[ALIAS]


def _held(database: Path) -> bool:
    """Whether some connection holds the database's write lock."""
    with open(lock_path(database), "ab") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False


def _waiting_for(database: Path) -> int:
    """How many are queued for the database's write lock (the kernel's /proc/locks
    lists each blocked waiter with `->`, by the file's inode)."""
    inode = lock_path(database).stat().st_ino
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and f":{inode} " in line)


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.005)


def _sqlite_writers(database: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rostra.core.tests.sqlite_writers", ENGINE, str(database), *args],
        stdout=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _votes(database: Path) -> int:
    with closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT votes FROM total").fetchone()[0]


def test_eight_writers_in_two_processes_never_meet_a_locked_database(database):
    """Two processes of four threads, each thread with its own connection, commit short
    write transactions at once: every one commits, none fails with "database is
    locked" though none would wait in SQLite's busy handler, and the total is exact."""
    processes = [_sqlite_writers(database, "write", "4", "25") for _ in range(2)]
    reports = [process.communicate(timeout=DEADLINE)[0].split("\n") for process in processes]
    assert [report[1:] for report in reports] == [[""], [""]]  # no errors
    assert [report[0] for report in reports] == ["100", "100"]
    assert _votes(database) == 200


def test_a_killed_holder_lets_the_next_writer_in(database, writer):
    """A process killed in the middle of a write transaction leaves no lock behind: the
    kernel lets go of it with the process's files, and the next writer commits."""
    holder = _sqlite_writers(database, "hold", stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == "holding\n"
        assert _held(database)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=DEADLINE)
    assert not _held(database)
    with transaction.atomic(using=ALIAS), writer.cursor() as cursor:
        cursor.execute("UPDATE total SET votes = votes + 1")
    assert _votes(database) == 1  # the killed holder's vote was rolled back


def test_a_transaction_holds_the_lock_from_begin_to_commit_across_its_savepoints(database, writer):
    """Nested atomic blocks (savepoints), committed or rolled back, run under the outer
    block's lock; it is let go at the outer commit, and at a rollback."""
    assert not _held(database)
    with transaction.atomic(using=ALIAS):
        assert _held(database)
        with transaction.atomic(using=ALIAS), writer.cursor() as cursor:
            cursor.execute("UPDATE total SET votes = votes + 1")
        assert _held(database)
        with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
            writer.cursor().execute("UPDATE total SET votes = votes + 100")
            1 / 0  # noqa: B018 - rolls the savepoint back
        assert _held(database)
    assert not _held(database)
    assert _votes(database) == 1
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        assert _held(database)
        1 / 0  # noqa: B018
    assert not _held(database)


def test_closing_a_connection_in_a_transaction_lets_go_of_the_lock(database, writer):
    """A connection closed mid-transaction (Django closes a broken one so) lets go of
    the lock with it; its uncommitted write is gone."""
    with transaction.atomic(using=ALIAS):
        writer.cursor().execute("UPDATE total SET votes = votes + 1")
        writer.close()
        assert not _held(database)
    assert _votes(database) == 0


def test_a_write_outside_a_transaction_waits_for_the_lock_instead_of_failing(database, writer):
    """A single UPDATE in autocommit (no atomic block) queues for the lock too: while
    another holds it (and SQLite's write lock with it), the statement waits rather than
    failing, and runs once the holder commits."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder_lock = open(lock_path(database), "ab")  # noqa: SIM115 - closed below
    fcntl.flock(holder_lock, fcntl.LOCK_EX)
    holder.execute("BEGIN IMMEDIATE")
    outcome = []

    def update() -> None:
        try:
            writer.cursor().execute("UPDATE total SET votes = votes + 1")
            outcome.append("updated")
        except DatabaseError as error:
            outcome.append(str(error))

    writer.inc_thread_sharing()
    thread = threading.Thread(target=update)
    thread.start()
    try:
        _wait_until(lambda: outcome or _waiting_for(database), "the UPDATE to queue")
        holder.execute("COMMIT")
    finally:
        fcntl.flock(holder_lock, fcntl.LOCK_UN)
        holder_lock.close()
        holder.close()
        thread.join(DEADLINE)
        writer.dec_thread_sharing()
    assert outcome == ["updated"]
    assert _votes(database) == 1


def test_a_lock_file_that_cannot_be_opened_leaves_writers_to_the_busy_timeout(
    database, writer, caplog
):
    """Where the lock file cannot be made (here a directory stands in its way; in life
    a data directory the account may not write to), the database still works and the
    log says why writers wait in SQLite's busy handler."""
    lock_path(database).mkdir()
    with transaction.atomic(using=ALIAS), writer.cursor() as cursor:
        cursor.execute("UPDATE total SET votes = votes + 1")
    assert _votes(database) == 1
    assert "writers wait in the busy handler" in caplog.text


def test_rostra_uses_the_locking_backend_for_sqlite_files():
    """Every Rostra process (servers, worker, commands) gets the backend from settings."""
    assert settings.DATABASES["default"]["ENGINE"] == ENGINE


@pytest.mark.django_db
def test_placeholders_are_converted_once_per_statement_as_django_converts_them():
    """ "%s" becomes "?" and "%%" a literal "%", as in Django's own SQLite cursor; the
    conversion of a statement run again is reused, not computed again."""
    from rostra.core.sqlite_backend.base import _qmark_query

    statement = "SELECT %s || '%%', %s"
    with connection.cursor() as cursor:
        cursor.execute(statement, ["a", 1])
        assert cursor.fetchone() == ("a%", 1)
        hits = _qmark_query.cache_info().hits
        cursor.execute(statement, ["b", 2])
        assert cursor.fetchone() == ("b%", 2)
    assert _qmark_query.cache_info().hits == hits + 1
    assert _qmark_query(statement) == "SELECT ? || '%', ?"


def _rows_in_database_file(database: Path, tmp_path: Path) -> int | None:
    """The vote rows a copy of the database file alone holds (its log left behind);
    None while the copy caught a checkpoint half-way."""
    copy = tmp_path / "file-alone.sqlite3"
    copy.write_bytes(database.read_bytes())
    try:
        with closing(sqlite3.connect(copy)) as db:
            return db.execute("SELECT count(*) FROM vote").fetchone()[0]
    except sqlite3.DatabaseError:
        return None
    finally:
        copy.unlink()


def test_writers_leave_the_log_to_the_checkpoint_thread(database, writer, tmp_path):
    """A writer's commit does not copy the log back into the database (its connection
    does so only past AUTOCHECKPOINT_PAGES); the process's checkpoint thread does,
    within seconds, with no further write."""
    from rostra.core.sqlite_backend.checkpoints import AUTOCHECKPOINT_PAGES

    with writer.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (AUTOCHECKPOINT_PAGES,)
    with transaction.atomic(using=ALIAS), writer.cursor() as cursor:
        cursor.executemany("INSERT INTO vote VALUES (%s)", [(f"voter {i}",) for i in range(50)])
    assert "rostra-wal-checkpoint" in {thread.name for thread in threading.enumerate()}
    _wait_until(lambda: _rows_in_database_file(database, tmp_path) == 50, "the checkpoint")


def test_a_fork_waits_for_the_checkpoint_in_progress():
    """`serve` forks while its checkpoint thread runs: the fork waits until a checkpoint
    in progress ends (a child forked inside one would inherit SQLite's mutexes locked
    and hang on its first query), and the child starts with the lock free."""
    from rostra.core.sqlite_backend import checkpoints

    events = []

    def fork():
        pid = os.fork()
        if pid == 0:  # the child: is the lock free here?
            os._exit(0 if checkpoints._checkpointing.acquire(blocking=False) else 1)
        events.append(("child exited", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])))

    with checkpoints._checkpointing:  # a checkpoint in progress
        forker = threading.Thread(target=fork)
        forker.start()
        forker.join(0.5)
        assert forker.is_alive() and not events  # still waiting to fork
        events.append("checkpoint ended")
    forker.join(DEADLINE)
    assert events == ["checkpoint ended", ("child exited", 0)]
