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
"""

import fcntl
import hashlib
import secrets
import sqlite3
import subprocess
import sys
import tempfile
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
        done = subprocess.run(
            [sys.executable, "-m", "rostra", "migrate", "--no-input", "-v0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"Migrating the test template failed:\n{done.stderr[-3000:]}")
        if "DATABASE_URL" not in variables:
            built = Path(data_dir) / SQLITE_NAME
            partial = TEMPLATES / f"{secrets.token_hex(4)}.partial"
            _sqlite_copy(built, partial)
            partial.replace(_sqlite_template_path())


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
