"""Migrated databases for tests that run real `rostra` processes, without migrating each.

Applying every migration (Django's, Wagtail's, allauth's and Rostra's) to an empty
database costs about 30 s of CPU. Tests that start a site of their own (a served site,
a worker, nginx in front, the browser journeys) need the schema, not the act of
migrating, so they get a copy of one database migrated once:

- SQLite: a file copied (with SQLite's backup API) into the site's data directory;
- PostgreSQL: `CREATE DATABASE … TEMPLATE` of a migrated database on the same server.

The template is keyed on the migration files and the locked dependencies, so a new
migration or upgrade builds a new one; a file lock lets one test process build it while
the others (pytest-xdist workers, both passes of `make test`) wait and reuse it. Tests
of `rostra setup`, `migrate`, `upgrade` and `restore` themselves still start empty.

Demo sites (`rostra setup --demo` on SQLite: about 8 CPU-seconds each) are copies too:
one is set up per test run and per stored setting (`demo_sqlite_site`), since the demo's
content follows the code, and each copy is pointed at its own address.
"""

import fcntl
import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from rostra.config.env import child_environment

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = Path(tempfile.gettempdir()) / "rostra-test-templates"
SQLITE_NAME = "rostra.sqlite3"  # where rostra.config.settings puts the database


def _schema_key() -> str:
    """Changes whenever a migration could: Rostra's migrations and the locked versions
    of every dependency (whose migrations come with them)."""
    digest = hashlib.sha256()
    sources = [*sorted(REPO.glob("rostra/*/migrations/*.py")), REPO / "uv.lock"]
    for path in sources:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _building(name: str):
    """Hold the lock that lets one process build the template `name` at a time."""
    TEMPLATES.mkdir(mode=0o700, exist_ok=True)
    with open(TEMPLATES / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(**variables: str) -> None:
    with tempfile.TemporaryDirectory(prefix="rostra-template-") as data_dir:
        env = child_environment(ROSTRA_DATA_DIR=data_dir, EMAIL_URL="dummy:", **variables)
        _rostra(env, "migrate", "--no-input", "-v0", doing="Migrating the test template")
        if "DATABASE_URL" not in variables:
            built = Path(data_dir) / SQLITE_NAME
            partial = TEMPLATES / f"{secrets.token_hex(4)}.partial"
            _sqlite_copy(built, partial)
            partial.replace(_sqlite_template_path())


def _rostra(env: dict[str, str], *args: str, doing: str) -> str:
    """Run `rostra ARGS` for a template; its output, or RuntimeError saying what failed."""
    done = subprocess.run(  # noqa: S603 - the `rostra` command of this checkout
        [sys.executable, "-m", "rostra", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{doing} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _sqlite_template_path() -> Path:
    return TEMPLATES / f"sqlite-{_schema_key()}.sqlite3"


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    target.chmod(0o640)  # as Rostra creates it (umask 027)


def migrated_sqlite_site(data_dir: Path) -> None:
    """Put a migrated, empty database into `data_dir` (created if missing), as the one
    `rostra migrate` would have made there."""
    template = _sqlite_template_path()
    with _building(template.stem):
        if not template.exists():
            _migrate()
    data_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
    target = data_dir / SQLITE_NAME
    if target.exists():
        raise FileExistsError(f"{target} exists: the site has a database already")
    _sqlite_copy(template, target)


# Keeps each test process's in-memory SQLite database alive from the moment it is filled
# until the process ends (a shared-cache memory database lives while a connection is open).
_memory_keepers: list[sqlite3.Connection] = []


def keep_sqlite_test_database_in_memory(database: dict) -> None:
    """Undo the file name pytest-django gives each pytest-xdist process's SQLite test
    database ("test_<path>_gw0"): it keeps Django's in-memory default only for Django's
    own sqlite3 engine, which Rostra's (rostra.core.sqlite_backend) is not. A file
    database was migrated from empty in every test process (about 35 CPU-seconds) and
    written to disk by every test; an in-memory one is already one per process."""
    database.setdefault("TEST", {})["NAME"] = None


def start_sqlite_test_databases_migrated() -> None:
    """Make Django's in-memory SQLite test databases start as copies of the migrated
    template file, so the test run's `migrate` only confirms there is nothing to apply
    (migrating from empty costs about 35 CPU-seconds in every test process)."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    create_empty = DatabaseCreation._create_test_db
    if getattr(create_empty, "fills_from_template", False):
        return

    def create_from_template(creation, verbosity, autoclobber, keepdb=False):
        name = create_empty(creation, verbosity, autoclobber, keepdb)
        if creation.is_in_memory_db(name) and not keepdb:
            template = _sqlite_template_path()
            with _building(template.stem):
                if not template.exists():
                    _migrate()
            keeper = sqlite3.connect(name, uri=True, check_same_thread=False)
            with closing(sqlite3.connect(template)) as source:
                source.backup(keeper)
            _memory_keepers.append(keeper)
        return name

    create_from_template.fills_from_template = True
    DatabaseCreation._create_test_db = create_from_template


def postgres_template(url: str) -> str:
    """The name of a migrated database on `url`'s server to create others from."""
    import psycopg
    from psycopg import sql

    name = f"rostra_template_{_schema_key()}"
    admin_conninfo = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with _building(name):
        with psycopg.connect(admin_conninfo, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone():
                return name
            # Built under another name and renamed once complete, so that a run killed
            # part-way never leaves a half-migrated template behind.
            building = f"{name}_{secrets.token_hex(4)}"
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
        _migrate(DATABASE_URL=urlsplit(url)._replace(path=f"/{building}").geturl())
        with psycopg.connect(admin_conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)
                )
            )
    return name


# What `rostra setup --demo` stores that depends on the environment (the site's name in
# its home page, the demo's language); every other setting is read when the site runs.
# A test giving setup another variable that changes what it stores must add it here.
DEMO_STORED_VARIABLES = ("ROSTRA_SITE_NAME", "LANGUAGE_CODE", "TIME_ZONE")
# Without pytest-xdist (whose workers share the run's id), one template per process.
_PROCESS_RUN = secrets.token_hex(8)
STALE_TEMPLATE_SECONDS = 24 * 3600
FIRST_ADMIN_FILE = "first-admin"


def demo_sqlite_site(child_env: dict[str, str]) -> str:
    """Make child_env's ROSTRA_DATA_DIR the site `rostra setup --demo` would have made
    with child_env (database, media, secret key), served at its ROSTRA_BASE_URL; return
    the first admin's password. A copy of a demo site set up once per test run."""
    stored = {name: child_env[name] for name in DEMO_STORED_VARIABLES if name in child_env}
    template = _demo_template(stored)
    data_dir = Path(child_env["ROSTRA_DATA_DIR"])
    target = data_dir / SQLITE_NAME
    if target.exists():
        raise FileExistsError(f"{target} exists: the site has a database already")
    data_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
    shutil.copytree(
        template / "data",
        data_dir,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(f"{SQLITE_NAME}*", "*.lock"),
    )
    _sqlite_copy(template / "data" / SQLITE_NAME, target)
    _serve_at(target, child_env["ROSTRA_BASE_URL"])
    return (template / FIRST_ADMIN_FILE).read_text()


def _demo_template(stored: dict[str, str]) -> Path:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or _PROCESS_RUN
    digest = hashlib.sha256(f"{_schema_key()} {run} {sorted(stored.items())}".encode())
    template = TEMPLATES / f"demo-{digest.hexdigest()[:16]}"
    with _building(template.name):
        if not template.exists():
            _forget_stale_demo_templates()
            _set_up_demo(template, stored)
    return template


def _set_up_demo(template: Path, stored: dict[str, str]) -> None:
    """`rostra setup --demo` in a data directory of its own, kept as `template` once
    complete (a run killed part-way leaves no half-made template behind)."""
    scratch = Path(tempfile.mkdtemp(prefix="demo-", suffix=".partial", dir=TEMPLATES))
    data_dir = scratch / "data"
    migrated_sqlite_site(data_dir)
    env = child_environment(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL="http://127.0.0.1:8000",  # each copy is pointed at its own
        EMAIL_URL="dummy:",
        **stored,
    )
    try:
        output = _rostra(env, "setup", "--demo", doing="Setting up the demo template")
    except RuntimeError:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    (scratch / FIRST_ADMIN_FILE).write_text(first_admin_password(output))
    scratch.rename(template)


def first_admin_password(setup_output: str) -> str:
    """The password `rostra setup` printed for the first admin."""
    return re.search(r"^\s+password:\s+(\S+)$", setup_output, re.MULTILINE).group(1)


def _serve_at(database: Path, base_url: str) -> None:
    """Point the copy's default Wagtail site at `base_url`, as `rostra setup` does
    (rostra.publishing.services.home_page_ensure): links in mail and feeds use it."""
    base = urlsplit(base_url)
    port = base.port or (443 if base.scheme == "https" else 80)
    with closing(sqlite3.connect(database)) as conn, conn:
        conn.execute(
            "UPDATE wagtailcore_site SET hostname = ?, port = ? WHERE is_default_site",
            [base.hostname, port],
        )


def _forget_stale_demo_templates() -> None:
    """Remove the demo templates of runs over a day old (each run makes its own)."""
    for old in TEMPLATES.glob("demo-*"):
        if time.time() - old.stat().st_mtime > STALE_TEMPLATE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
