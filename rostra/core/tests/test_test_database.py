"""The suite's own SQLite test database: in memory in every test process, pytest-xdist's
workers included (`make test` runs `-n 2`), and filled from the migrated template."""

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from pytest_django.fixtures import _set_suffix_to_test_databases

from rostra.core.testing_databases import keep_sqlite_test_database_in_memory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's test database")


def test_a_pytest_xdist_worker_keeps_its_sqlite_test_database_in_memory(monkeypatch):
    """pytest-django names each worker's database after the file ("test_<path>_gw3") for
    any engine but Django's own sqlite3: with Rostra's engine, the worker's test database
    is still the in-memory one, which the migrated template fills."""
    site_database = {"NAME": "/srv/rostra/rostra.sqlite3", "TEST": {}}  # before the tests
    database = {**django_settings.DATABASES["default"], **site_database}
    monkeypatch.setitem(django_settings.DATABASES, "default", database)
    assert database["ENGINE"] == "rostra.core.sqlite_backend"
    _set_suffix_to_test_databases("gw3")
    keep_sqlite_test_database_in_memory(database)
    worker_connection = connections["default"].__class__(database, "default")
    test_name = worker_connection.creation._get_test_db_name()
    assert connection.creation.is_in_memory_db(test_name), test_name


@pytest.mark.django_db
def test_this_test_process_runs_on_an_in_memory_database():
    """Whatever pytest-xdist worker runs it."""
    assert connection.is_in_memory_db()
