"""Backups are taken while readers post, and a restored site has every acknowledged comment.

Runs against the journeys' real `rostra serve` (SQLite in WAL mode, or its own PostgreSQL
database in the PostgreSQL pass): readers keep posting through the JSON API while
`rostra backup` runs in another process; the backup is restored into an empty data
directory (and an empty PostgreSQL database), and every comment the server acknowledged
before the backup started must be in it.
"""

import http.cookiejar
import io
import json
import re
import subprocess
import sys
import tarfile
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from rostra.core.testing import postgres_database

# A SQLite file copy or pg_dump and pg_restore: both databases, each its own path.
pytestmark = pytest.mark.both_databases

ROSTRA = [sys.executable, "-m", "rostra"]
ARTICLE = "/environment/volunteers-count-a-record-number-of-seals-on-the-northern-sandbanks/"
MAX_POSTS = 400  # the load is bounded even if the backup were slow


class Reader:
    """A guest reader speaking the JSON API with its own cookies and CSRF token."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with self.opener.open(f"{url}/api/csrf", timeout=10) as response:
            self.token = json.load(response)["csrf_token"]

    def post(self, article_id: int, body: str) -> int:
        request = urllib.request.Request(
            f"{self.url}/api/comments",
            data=json.dumps(
                {"thread": f"article:{article_id}", "body": body, "name": "Backup Reader"}
            ).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.token},
            method="POST",
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 201
            return json.load(response)["id"]


def _article_id(server) -> int:
    with urllib.request.urlopen(server.url + ARTICLE, timeout=10) as response:
        html = response.read().decode()
    return int(re.search(r"data-article=\"(\d+)\"", html).group(1))


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ROSTRA, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _rostra(env: dict, *args: str) -> str:
    done = _run(env, *args)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@dataclass
class BackupUnderLoad:
    path: Path
    acknowledged_before: list[int]
    acknowledged_during: list[int]


@pytest.fixture(scope="module")
def backup_under_load(rostra_server, tmp_path_factory) -> BackupUnderLoad:
    """One backup taken while a reader keeps posting, shared by this module's tests."""
    article_id = _article_id(rostra_server)
    reader = Reader(rostra_server.url)
    acknowledged: list[int] = []
    stop = threading.Event()

    def keep_posting():
        for number in range(MAX_POSTS):
            if stop.is_set():
                return
            acknowledged.append(reader.post(article_id, f"Comment {number} during the backup."))

    for number in range(5):
        acknowledged.append(reader.post(article_id, f"Comment {number} before the backup."))
    poster = threading.Thread(target=keep_posting)
    poster.start()
    try:
        before_backup = list(acknowledged)
        backup = tmp_path_factory.mktemp("backup") / "site.tar.gz"
        out = _rostra(rostra_server.env, "backup", "-o", str(backup))
        assert "Backup written and checked" in out
    finally:
        stop.set()
        poster.join(timeout=60)
    return BackupUnderLoad(backup, before_backup, acknowledged[len(before_backup) :])


def test_backup_under_load_restores_every_acknowledged_comment(
    rostra_server, backup_under_load, tmp_path
):
    backup = backup_under_load.path
    assert backup_under_load.acknowledged_during, "nobody posted while the backup ran"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    restored_env = dict(rostra_server.env, ROSTRA_DATA_DIR=str(tmp_path / "restored"))
    drop = None
    if restored_env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        restored_env["DATABASE_URL"], drop = postgres_database(restored_env["DATABASE_URL"])
    try:
        # Independent processes, each starting Django once: checked and restored at once.
        with ThreadPoolExecutor(2) as pool:
            checked = pool.submit(_rostra, rostra_server.env, "backup", "--check", str(backup))
            pool.submit(_rostra, restored_env, "restore", str(backup)).result()
            assert "complete and intact" in checked.result()
        script = (
            "from rostra.discussion.models import Comment\n"
            "print(sorted(Comment.objects.values_list('pk', flat=True)))\n"
        )
        with ThreadPoolExecutor(2) as pool:
            listed = pool.submit(_rostra, restored_env, "shell", "-c", script)
            # The restored site refuses to be restored over.
            again = pool.submit(_run, restored_env, "restore", str(backup)).result()
            output = listed.result()
        restored = set(json.loads(output.strip().splitlines()[-1]))
        missing = [pk for pk in backup_under_load.acknowledged_before if pk not in restored]
        assert missing == []
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        if drop:
            drop()


def _tampered_copy(backup, target):
    """The same backup with one byte of its database changed and the manifest kept."""
    with tarfile.open(backup) as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            copy.addfile(member, io.BytesIO(data))


def test_a_damaged_or_foreign_file_is_refused_before_anything_is_restored(
    rostra_server, backup_under_load, tmp_path
):
    backup = backup_under_load.path
    damaged = tmp_path / "damaged.tar.gz"
    _tampered_copy(backup, damaged)
    foreign = tmp_path / "notes.tar.gz"
    foreign.write_bytes(b"not a backup")
    empty_site = dict(rostra_server.env, ROSTRA_DATA_DIR=str(tmp_path / "empty"))
    runs = [
        (reason, args)
        for path, reason in ((damaged, "is damaged"), (foreign, "is not a Rostra backup"))
        for args in (("backup", "--check", str(path)), ("restore", str(path)))
    ]
    # The four refusals are independent: run at once, each process starts Django once.
    with ThreadPoolExecutor(len(runs)) as pool:
        results = list(pool.map(lambda run: _run(empty_site, *run[1]), runs))
    for (reason, args), done in zip(runs, results, strict=True):
        assert done.returncode != 0, args
        assert reason in done.stderr, (args, done.stderr[-2000:])
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "empty" / "rostra.sqlite3").exists()
