"""Fixtures shared by every test module."""

import os

import pytest


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own grouping
def pytest_collection_modifyitems(config, items):
    _skip_sqlite_sites(items)
    if getattr(config.option, "loadgroup", False):
        _keep_modules_with_a_shared_server_together(items)


def _skip_sqlite_sites(items) -> None:
    """Tests marked `sqlite_site` start a site of their own on SQLite whatever database
    the suite runs on (they test the process, the files or a proxy, not the database):
    they run in the SQLite pass only, where they are not a repeat. So do slow tests
    marked `database_independent` (an API fuzzer, error reports, a refused setting)."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    for item in items:
        if item.get_closest_marker("sqlite_site"):
            item.add_marker(pytest.mark.skip(reason="its site is SQLite in every pass"))
        elif item.get_closest_marker("database_independent"):
            item.add_marker(pytest.mark.skip(reason="the SQLite pass covers it"))


def _keep_modules_with_a_shared_server_together(items) -> None:
    """Under `--dist loadgroup`, the tests of a module that share a module-scoped
    fixture (a `rostra serve`, nginx, a worker: 15-40 s to start) all go to one test
    process, so it starts once instead of once per process; other tests are spread one
    by one. pytest-xdist marks a group by a suffix of the node id, which pytest 9 no
    longer reads from the attribute xdist sets (`_nodeid`), so it is set on `_id` too."""
    from _pytest.nodeid import coerce_node_id

    for item in items:
        if "browser" in item.fixturenames:
            # Journeys share the session's browser, whose Playwright event loop stays
            # open for the rest of the process: grouped, they would be sent before the
            # unit tests, whose database calls then refuse to run beside a loop.
            continue
        definitions = getattr(item, "_fixtureinfo", None)
        shares = definitions and any(
            fixture.scope == "module"
            for name in item.fixturenames
            for fixture in definitions.name2fixturedefs.get(name, ())
        )
        if shares and "@" not in item.nodeid:
            grouped = f"{item.nodeid}@{item.module.__name__}"
            item._nodeid = grouped
            item._id = coerce_node_id(grouped)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each test process's database starts as a copy of one migrated database
    (rostra.core.testing_databases: a template database on PostgreSQL, the migrated
    SQLite file loaded into the in-memory test database on SQLite), so the test run's
    `migrate` finds nothing to apply instead of migrating from empty in every process."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        from rostra.core.testing_databases import postgres_template

        database.setdefault("TEST", {})["TEMPLATE"] = postgres_template(os.environ["DATABASE_URL"])
    elif "sqlite" in database["ENGINE"]:
        from rostra.core.testing_databases import (
            keep_sqlite_test_database_in_memory,
            start_sqlite_test_databases_migrated,
        )

        keep_sqlite_test_database_in_memory(database)
        start_sqlite_test_databases_migrated()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the page tree most tests stand on (the home page and its
    "World" section) built once per test process and committed: each test's own
    writes still roll back. A transactional test empties the database; `home` and
    `section` then build what is missing again."""
    from rostra.publishing.testing import make_home, make_section

    with django_db_blocker.unblock():
        make_section(make_home(), WORLD, description=WORLD_DESCRIPTION)


WORLD, WORLD_DESCRIPTION = "World", "News from elsewhere."


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test's rolled-back writes (and ids come round again): a
    test starts with an empty one, as the shared page tree's pages are cached too (and
    without the thread JSON this process kept in memory)."""
    from django.core.cache import cache

    from rostra.core.page_frames import page_frames
    from rostra.core.stored_pages import stored_pages
    from rostra.discussion.api.copies import recent_copies
    from rostra.spamfilter.selectors import forget_cached

    cache.clear()
    recent_copies.clear()
    stored_pages.clear()  # finished public pages this process kept
    page_frames.clear()  # signed-in readers' shared frames
    forget_cached()  # the spam filter's settings and version, kept a minute per process


@pytest.fixture
def home(db):
    from rostra.publishing.testing import make_home

    return make_home()


@pytest.fixture
def section(home):
    from rostra.publishing.models import SectionPage
    from rostra.publishing.testing import make_section

    existing = SectionPage.objects.child_of(home).filter(title=WORLD).first()
    return existing or make_section(home, WORLD, description=WORLD_DESCRIPTION)
