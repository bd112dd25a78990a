"""Django's SQLite backend, with writers queued on a file lock instead of polling.

Every write transaction (an `atomic()` block: Rostra's transactions are `BEGIN
IMMEDIATE`, see settings.py) first takes an exclusive lock on a file beside the database
(write_lock.py) and lets go of it once committed or rolled back; a write statement run
outside a transaction (autocommit: a single `save()`, `update()` or `DELETE`) holds it
for that statement. Savepoints of nested `atomic()` blocks run under the outer block's
lock. Every Rostra process uses this backend (servers, the task worker, `rostra`
commands, migrations), so their writers queue on the one lock and the next is woken the
moment it is free. SQLite's busy timeout stays as the fallback for writers that do not
take the lock (the `sqlite3` shell, other tools, the backup's reads need no lock).

In-memory databases (the tests') and DEFERRED transactions, which do not take SQLite's
write lock at BEGIN, are left as Django runs them.
"""

import functools
import logging
import sqlite3

from django.db.backends.sqlite3 import base

from rostra.core.sqlite_backend.checkpoints import keep_checkpointed
from rostra.core.sqlite_backend.write_lock import WriteLock, lock_path

logger = logging.getLogger(__name__)

LOCKING_TRANSACTION_MODES = frozenset({"IMMEDIATE", "EXCLUSIVE"})


class LockingConnection(sqlite3.Connection):
    """A SQLite connection carrying its write lock, which ends with it: closed with the
    connection, or with the file object if the connection is dropped unclosed."""

    write_lock: WriteLock | None = None

    def close(self) -> None:
        try:
            super().close()  # SQLite drops an open transaction
        finally:
            if self.write_lock is not None:
                self.write_lock.close()


class LockingCursor(base.SQLiteCursorWrapper):
    """Holds the write lock around a write statement run outside a transaction."""

    def execute(self, query, params=None):
        lock = self._lock_to_take(query)
        if lock is None:
            return super().execute(query, params)
        with lock.holding():
            return super().execute(query, params)

    def executemany(self, query, param_list):
        lock = self._lock_to_take(query)
        if lock is None:
            return super().executemany(query, param_list)
        with lock.holding():
            return super().executemany(query, param_list)

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark_query(query)
        return super().convert_query(query, param_names=param_names)

    def _lock_to_take(self, query: str) -> WriteLock | None:
        """The write lock, when this statement writes outside a transaction and nobody
        on this connection holds it yet; None otherwise."""
        lock = self.connection.write_lock
        if lock is None or lock.held or self.connection.in_transaction or _reads(query):
            return None
        return lock


@functools.lru_cache(maxsize=2048)
def _qmark_query(query: str) -> str:
    """Django's "%s" placeholders as SQLite's "?", converted once per distinct statement
    (Django runs a regular expression over every statement each time it is executed)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


def _reads(query: str) -> bool:
    return query.lstrip()[:6].upper() == "SELECT"


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        return {**super().get_connection_params(), "factory": LockingConnection}

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db() and self.transaction_mode in LOCKING_TRANSACTION_MODES:
            path = lock_path(self.settings_dict["NAME"])
            try:
                conn.write_lock = WriteLock(path)
            except OSError as error:  # a directory this account may not write to
                logger.warning("SQLite: writers wait in the busy handler, no %s: %s", path, error)
        if not self.is_in_memory_db():
            keep_checkpointed(str(self.settings_dict["NAME"]))
        return conn

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=LockingCursor)

    def _start_transaction_under_autocommit(self):
        lock = self.connection.write_lock
        if lock is None:
            return super()._start_transaction_under_autocommit()
        lock.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            lock.release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_once_ended()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_once_ended()

    def _release_once_ended(self) -> None:
        """Let go of the lock unless the transaction is still open (a failed COMMIT is
        followed by a ROLLBACK, which lets go)."""
        conn = self.connection
        if conn is None or conn.write_lock is None:
            return
        try:
            ended = not conn.in_transaction
        except sqlite3.ProgrammingError:  # closed: LockingConnection.close let go
            return
        if ended:
            conn.write_lock.release()
