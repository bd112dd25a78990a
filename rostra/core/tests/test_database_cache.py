"""The database cache (CACHE_URL=db:) counts exactly when processes count at once."""

import os
import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from rostra.config.cache_url import parse_cache_url

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="threads writing at once need a database server (SQLite's test database is "
    "in memory; the cross-process test in test_shared_state.py covers SQLite)",
)


def test_concurrent_increments_are_all_counted(transactional_db, settings):
    """Eight threads (each with its own connection, like processes) add 10 each to one
    rate-limit counter: the count is 80, none lost to a read-then-write race."""
    settings.CACHES = parse_cache_url("db:")
    call_command("createcachetable", verbosity=0)
    cache = caches["default"]
    cache.set("attempts", 0, 60)
    start = threading.Barrier(8)
    errors = []

    def count():
        try:
            start.wait(timeout=30)
            for _ in range(10):
                cache.incr("attempts")
        except Exception as error:  # reported below, with the count
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert cache.get("attempts") == 80
