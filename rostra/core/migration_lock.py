"""One migration at a time, whatever the number of processes starting.

Every `rostra serve`, `rostra setup` and `rostra migrate` applies pending migrations. When
several start together after an upgrade (two serve processes, a worker, a rolling
restart), unserialised runs race: both see a migration as pending and the second fails
half-way (`relation "auth_permission" already exists`). Holding a lock around the whole
`migrate` makes the others wait, then find nothing left to do.

PostgreSQL: a session-level advisory lock on the migrating connection, so every machine
using the database waits on it. SQLite: an exclusive `flock` on a file beside the
database, since only processes on this machine can share the file.
"""

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from django.db import connections

# Any constant shared by every Rostra process: the ASCII of "rostramg".
ADVISORY_LOCK_KEY = 0x726F737472616D67


@contextlib.contextmanager
def migration_lock(database: str = "default") -> Iterator[None]:
    connection = connections[database]
    if connection.vendor == "postgresql":
        with _advisory_lock(connection):
            yield
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        with _file_lock(Path(f"{connection.settings_dict['NAME']}.migrate.lock")):
            yield
    else:
        yield


@contextlib.contextmanager
def _advisory_lock(connection) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
