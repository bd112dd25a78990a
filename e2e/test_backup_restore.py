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


def test_backup_under_load_restores_every_acknowledged_comment(rostra_server, tmp_path):
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
        backup = tmp_path / "site.tar.gz"
        out = _rostra(rostra_server.env, "backup", "-o", str(backup))
        assert "Backup written and checked" in out
    finally:
        stop.set()
        poster.join(timeout=60)
    assert len(acknowledged) > len(before_backup), "nobody posted while the backup ran"
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert "complete and intact" in _rostra(rostra_server.env, "backup", "--check", str(backup))

    restored_env = dict(rostra_server.env, ROSTRA_DATA_DIR=str(tmp_path / "restored"))
    drop = None
    if restored_env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        restored_env["DATABASE_URL"], drop = postgres_database(restored_env["DATABASE_URL"])
    try:
        _rostra(restored_env, "restore", str(backup))
        script = (
            "from rostra.discussion.models import Comment\n"
            "print(sorted(Comment.objects.values_list('pk', flat=True)))\n"
        )
        output = _rostra(restored_env, "shell", "-c", script)
        restored = set(json.loads(output.strip().splitlines()[-1]))
        missing = [pk for pk in before_backup if pk not in restored]
        assert missing == []
        # The restored site refuses to be restored over.
        again = _run(restored_env, "restore", str(backup))
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


def test_a_damaged_or_foreign_file_is_refused_before_anything_is_restored(rostra_server, tmp_path):
    backup = tmp_path / "site.tar.gz"
    _rostra(rostra_server.env, "backup", "-o", str(backup))
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
