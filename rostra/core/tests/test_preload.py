"""What `rostra serve` loads and answers before it forks (rostra.core.preload)."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from rostra.core import request_counts
from rostra.core.preload import WARM_UP_PATHS, warm_up


def _compiled_templates() -> set[str]:
    """Names of the templates the cached loaders of this process hold compiled."""
    names = set()
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            names.update(name for name, _ in getattr(loader, "get_template_cache", {}).items())
    return names


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """The warm-up runs Django's own handler, which closes the database connection after
    each request: inside a test's transaction it must stay open, as Django's test
    client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def uncached_templates():
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            loader.reset()


@pytest.mark.django_db
def test_warm_up_answers_its_paths_and_compiles_the_home_pages_templates(home, uncached_templates):
    """Each warm-up GET is answered (200) through the whole request handling, and the
    templates the home page uses are compiled in this process afterwards, so a process
    forked from it shares them instead of compiling its own."""
    assert not _compiled_templates()
    statuses = warm_up()
    assert statuses == dict.fromkeys(WARM_UP_PATHS, 200)
    assert any(name.startswith("publishing/") for name in _compiled_templates())


@pytest.mark.django_db
def test_warm_up_writes_nothing_a_readers_visit_would_not_and_is_not_counted(home, client):
    """Once a reader has visited (Wagtail creates a site's settings row on first use),
    no statement of the warm-up writes to the database; and /metrics does not count the
    requests nobody asked for."""
    client.get("/")
    request_counts.counter.flush()
    with CaptureQueriesContext(connection) as queries:
        warm_up()
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []
    assert not request_counts.counter._pending


# In a process of its own: what `load_shared` imports must not be imported already.
LOADED_AFTER = textwrap.dedent(
    """
    import sys, django
    django.setup()
    LATE = ("rostra.core.accounts", "cryptography.fernet", "PIL.PngImagePlugin",
            "PIL.JpegImagePlugin")
    before = [name for name in LATE if name in sys.modules]
    from rostra.core.preload import load_shared
    load_shared()
    print(before, [name for name in LATE if name not in sys.modules])
    """
)


def test_load_shared_imports_what_servers_would_import_on_their_first_sign_in_or_image():
    """The account adapters (and the encryption of second-factor secrets they import)
    and Pillow's common image formats are not imported by Django's start but by the
    first sign-in or image read; `load_shared` imports them, so that the server
    processes forked afterwards share them."""
    ran = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rostra.config.test_settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[0] == "[] []"
