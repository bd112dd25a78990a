"""Fixtures shared by every test module."""

import os

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, each test process's database starts as a copy of one migrated
    database (rostra.core.testing_databases), so the test run's `migrate` finds nothing
    to apply instead of migrating from empty in every process."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        from rostra.core.testing_databases import postgres_template

        database.setdefault("TEST", {})["TEMPLATE"] = postgres_template(os.environ["DATABASE_URL"])


@pytest.fixture
def home(db):
    from rostra.publishing.testing import make_home

    return make_home()


@pytest.fixture
def section(home):
    from rostra.publishing.testing import make_section

    return make_section(home, "World", description="News from elsewhere.")
