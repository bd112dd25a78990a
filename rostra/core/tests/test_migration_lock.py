"""Processes started together against pending migrations wait for each other.

Real processes, real databases: several `rostra migrate` runs start at once against an
empty SQLite file (or a new PostgreSQL database in the PostgreSQL pass); without the lock
one of them fails half-way with "table already exists".
"""

import os
import subprocess
import sys

import pytest
from django.db import connection

from rostra.core.migration_lock import migration_lock

STARTS = 2
# Wagtail's own migrations: enough tables for two unguarded runs to collide on ("table
# already exists"), a tenth of the time of every app's (the lock is the same for all).
APP = "wagtailcore"


def _empty_database_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(ROSTRA_DATA_DIR=str(tmp_path / "data"), EMAIL_URL="dummy:")
    drop = None
    if connection.vendor == "postgresql":
        from rostra.core.testing import postgres_database

        env["DATABASE_URL"], drop = postgres_database(os.environ["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    return env, drop


@pytest.mark.django_db
def test_concurrent_starts_against_pending_migrations_all_succeed(tmp_path):
    env, drop = _empty_database_env(tmp_path)
    try:
        starts = [
            subprocess.Popen(
                [sys.executable, "-m", "rostra", "migrate", APP, "--no-input"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(STARTS)
        ]
        results = [(p.wait(timeout=600), p.stderr.read()) for p in starts]
        assert [code for code, _ in results] == [0] * STARTS, results
        check = subprocess.run(
            [sys.executable, "-m", "rostra", "migrate", APP, "--check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        for start in starts:
            start.stdout.close()
            start.stderr.close()
        if drop:
            drop()


@pytest.mark.django_db
def test_the_lock_is_released_after_each_use():
    """Taking the lock twice in a row works: it is released at the end of each use."""
    with migration_lock():
        pass
    with migration_lock():
        pass
