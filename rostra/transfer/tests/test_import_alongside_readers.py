"""A large import, run by a real `rostra import` process, leaves readers posting and
voting through a real `rostra serve` on the same SQLite database; an import killed
part-way is finished by importing the same file again.

SQLite only: its write lock is one for the whole database, which an import in one
transaction held against every reader for as long as it ran. PostgreSQL locks rows, so
readers posting there never waited on an import's transaction; the batching itself is
covered on both databases by the in-process tests of the writer.
"""

import json
import shutil
import signal
import sqlite3
import statistics
import subprocess
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import connection, connections

from rostra.config.cache_url import DATABASE_CACHE_TABLE
from rostra.config.env import child_environment
from rostra.core.testing import ROSTRA, Browser, free_port, stop, wait_until_healthy
from rostra.transfer.testing import write_wxr

pytestmark = [
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite's database-wide write lock is what a long import transaction held",
    ),
    # The test database is the source of the sites' schema (see `site_template`).
    pytest.mark.django_db,
]

POSTS, COMMENTS = 30, 1500  # one transaction for all of it held the lock for seconds
SLOWEST_ANSWER = 1.0  # seconds a reader may wait for a post or a vote
IMPORT_SECONDS = 240  # bound on every wait for an import process


@contextmanager
def _orm_on(path: Path):
    """Django's ORM on another SQLite file for a moment, to set up the database that
    the real processes then use."""
    original = connections["default"]
    other = original.__class__({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = other
    try:
        yield
    finally:
        other.close()
        connections["default"] = original


@pytest.fixture(scope="module")
def site_template(django_db_setup, django_db_blocker, tmp_path_factory):
    """A data directory with the migrated schema (copied from the test database with
    SQLite's backup API: migrating afresh would take longer than the test) and one
    article for readers to discuss. Returns (directory, the article's id)."""
    from rostra.publishing.testing import make_article, make_home, make_section

    directory = tmp_path_factory.mktemp("template")
    database = directory / "rostra.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as target:
            connection.connection.backup(target)
        with _orm_on(database):
            article = make_article(make_section(make_home(), "Letters"), "Readers write")
            # The test database caches in memory; the site's processes share the
            # database cache, whose table `rostra migrate` would have created.
            create_cache_table = CreateCacheTable()
            create_cache_table.verbosity = 0
            create_cache_table.create_table("default", DATABASE_CACHE_TABLE, dry_run=False)
    return directory, article.pk


@pytest.fixture(scope="module")
def large_export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "gazette.xml"
    write_wxr(path, posts=POSTS, comments=COMMENTS, early_replies=0.1)
    return path


def _site(template: Path, target: Path, port: int = 0) -> dict:
    """A copy of the template site in `target`; returns the environment of its processes."""
    shutil.copytree(template, target)
    return child_environment(
        ROSTRA_DATA_DIR=str(target),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port or 8000}",
        EMAIL_URL="dummy:",
        LOG_LEVEL="WARNING",
        ROSTRA_COMMENT_MIN_SECONDS="0",
        ROSTRA_COMMENT_RATE_LIMIT="100000/60",
    )


def _start(env: dict, log: Path, *args: str) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen([*ROSTRA, *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def _start_import(env: dict, export: Path, log: Path) -> subprocess.Popen:
    return _start(env, log, "import", "wordpress", str(export), "--no-progress")


class Reader(Browser):
    """A reader's browser that times every answer it waits for."""

    def __init__(self, port: int):
        super().__init__(port, timeout=60)
        self.csrf()
        self.answers: list[tuple[str, int, float]] = []  # (what, status, seconds)

    def timed(self, what: str, path: str, payload) -> tuple[int, bytes]:
        started = time.monotonic()
        status, data = self.post_json(path, payload)
        self.answers.append((what, status, time.monotonic() - started))
        return status, data


def _imported(database: Path) -> dict:
    """What an import left, read straight from the file: each imported record with its
    fingerprint, each imported comment with its parent's key, and row counts."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return {
            "records": db.execute(
                "SELECT kind, key, fingerprint FROM transfer_importedobject ORDER BY kind, key"
            ).fetchall(),
            # Whom each reply answers: its parent, or for a reply placed at the deepest
            # level, the comment it remembers answering (where the batches' boundaries
            # fell decides which of the two holds it).
            "tree": db.execute(
                "SELECT o.key, p.key FROM discussion_comment c "
                "JOIN transfer_importedobject o ON o.kind = 'comment' AND o.object_id = c.id "
                "LEFT JOIN transfer_importedobject p ON p.kind = 'comment' "
                "AND p.object_id = coalesce(c.reply_to_id, c.parent_id) ORDER BY o.key"
            ).fetchall(),
            "comments": db.execute("SELECT count(*) FROM discussion_comment").fetchone()[0],
            "threads": db.execute("SELECT count(*) FROM discussion_thread").fetchone()[0],
            "articles": db.execute("SELECT count(*) FROM publishing_articlepage").fetchone()[0],
        }


def _wait_for_first_write(database: Path, importer: subprocess.Popen, deadline: float) -> None:
    """Return once the import holds the write lock (its first batch): before that it
    only starts and reads the file, which keeps no reader waiting. Our own attempts to
    take the lock give it up at once."""
    with closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as probe:
        while importer.poll() is None and time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:  # "database is locked": the import writes
                return
            time.sleep(0.005)


def _count(database: Path, sql: str) -> int:
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
            return db.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the import is creating its tables' first rows
        return 0


@pytest.fixture(scope="module")
def imported_while_reading(site_template, large_export, tmp_path_factory):
    """Readers post and vote, one after the other, while the import writes."""
    template, article_id = site_template
    port = free_port()
    data_dir = tmp_path_factory.mktemp("reading") / "data"
    env = _site(template, data_dir, port)
    serve_log = data_dir.parent / "serve.log"
    server = _start(env, serve_log, "serve", "--no-worker", "--no-migrate", "--port", str(port))
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server, serve_log)
        importer = _start_import(env, large_export, data_dir.parent / "import.log")
        started = time.monotonic()
        deadline = started + IMPORT_SECONDS
        _wait_for_first_write(data_dir / "rostra.sqlite3", importer, deadline)
        author, voter = Reader(port), Reader(port)
        n = 0
        while importer.poll() is None and time.monotonic() < deadline:
            n += 1
            status, data = author.timed(
                "post",
                "/api/comments",
                {"thread": f"article:{article_id}", "body": f"Letter {n}", "name": "Ann"},
            )
            if status == 201:
                voter.timed(
                    "vote",
                    f"/api/comments/{json.loads(data)['id']}/vote",
                    {"value": 1 if n % 2 else -1},
                )
        importer.wait(timeout=max(1, deadline - time.monotonic()))
        import_seconds = time.monotonic() - started
    finally:
        stop(server)
    return {
        "import_exit": importer.returncode,
        "import_log": (data_dir.parent / "import.log").read_text(),
        "answers": author.answers + voter.answers,
        "import_seconds": import_seconds,
        "database": data_dir / "rostra.sqlite3",
    }


def test_readers_post_and_vote_while_a_large_file_is_imported(imported_while_reading):
    """Every post and vote made during the import is accepted, none waiting more than a
    second (or, on a busy machine, ten times the typical answer or a tenth of the
    import's length), and readers' comments were saved between the import's own
    batches."""
    result = imported_while_reading
    assert result["import_exit"] == 0, result["import_log"][-3000:]
    answers = result["answers"]
    assert len(answers) > 10, "the readers had no time to post while the import wrote"
    assert [a for a in answers if a[1] not in (200, 201)] == []
    # A lock held through the import would keep an answer waiting for about the
    # import's whole length; let go after each batch, an answer waits for a batch at
    # most. On a machine busy with other processes (other test processes on the same
    # cores) a batch and an answer both take longer, and so does the import: a tenth of
    # its length stays far below the whole, whatever the load.
    bound = max(
        SLOWEST_ANSWER,
        10 * statistics.median(a[2] for a in answers),
        result["import_seconds"] / 10,
    )
    slow = [a for a in answers if a[2] > bound]
    assert slow == [], f"{len(slow)} of {len(answers)} answers took over {bound:.2f} s"
    with closing(sqlite3.connect(f"file:{result['database']}?mode=ro", uri=True)) as db:
        first, last = db.execute(
            "SELECT min(object_id), max(object_id) FROM transfer_importedobject "
            "WHERE kind = 'comment'"
        ).fetchone()
        interleaved = db.execute(
            "SELECT count(*) FROM discussion_comment "
            "WHERE author_name = 'Ann' AND id > ? AND id < ?",
            (first, last),
        ).fetchone()[0]
    assert interleaved > 0, "no reader's comment was saved while the import was writing"


def test_an_import_killed_part_way_is_finished_by_importing_again(
    site_template, large_export, imported_while_reading, tmp_path
):
    """kill -9 once the first batches are committed; the same import again ends with
    what one uninterrupted import wrote: every record, no duplicates, the same replies
    under the same parents."""
    template, _ = site_template
    data_dir = tmp_path / "data"
    env = _site(template, data_dir)
    database = data_dir / "rostra.sqlite3"
    written = "SELECT count(*) FROM transfer_importedobject WHERE kind = 'comment'"
    importer = _start_import(env, large_export, tmp_path / "import.log")
    try:
        deadline = time.monotonic() + IMPORT_SECONDS
        while _count(database, written) == 0 and importer.poll() is None:
            assert time.monotonic() < deadline, "the import wrote nothing in time"
            time.sleep(0.02)
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    assert 0 < _count(database, written) < COMMENTS, "the kill came too late to prove anything"

    again = subprocess.run(
        [*ROSTRA, "import", "wordpress", str(large_export), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=IMPORT_SECONDS,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-3000:]

    resumed, clean = _imported(database), _imported(imported_while_reading["database"])
    assert resumed["records"] == clean["records"]
    assert resumed["tree"] == clean["tree"]
    assert len([1 for kind, _, _ in resumed["records"] if kind == "comment"]) == COMMENTS
    assert resumed["comments"] == COMMENTS  # no comment written twice
    assert resumed["threads"] == POSTS
    assert resumed["articles"] == POSTS + 1  # and the readers' article
