"""“View all comments” on a real `rostra serve` (one server process, SQLite): a reader
who hangs up in the middle of the answer leaves no work running behind them, whether
the whole thread's cards had to be built first or not."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from rostra.config.env import child_environment
from rostra.core.testing import ROSTRA, Browser, free_port, stop, wait_until_healthy
from rostra.core.testing_databases import migrated_sqlite_site

pytestmark = pytest.mark.sqlite_site

SEED = Path(__file__).resolve().parents[3] / "bench" / "seed_thread.py"
SLUG = "how-the-new-flood-barrier-on-the-marrow-estuary-will-work"
ARTICLE = f"/environment/{SLUG}/"
# Enough that rendering them one template at a time took seconds of CPU (3.7 ms each).
COMMENTS = 800
IDLE_SHARE = 0.1  # of one core: what counts as nothing running
# CPU time the server may still spend once the reader has hung up: the queries under
# way and the rest of the page, a few tenths of a second (the cards stop being built;
# per-comment templates went on rendering for 2 s and more).
AFTER_HANG_UP_CPU_SECONDS = 1.0


@dataclass
class Site:
    port: int
    process: subprocess.Popen
    thread_key: str


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site with COMMENTS comments under one article, served by one process
    (no task worker beside it, so the process's CPU time is the serving alone)."""
    data_dir = tmp_path_factory.mktemp("view-all") / "data"
    port = free_port()
    child_env = child_environment(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="dummy:",
        LOG_LEVEL="WARNING",
    )
    migrated_sqlite_site(data_dir)
    seeded = subprocess.run(
        [sys.executable, str(SEED), SLUG, str(COMMENTS)],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    log_path = data_dir / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*ROSTRA, "serve", "--workers", "1", "--no-worker", "--port", str(port)],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log_path)
        yield Site(port, process, seeded.stdout.strip().splitlines()[-1])
    finally:
        stop(process)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _idle_within(pid: int, seconds: float, *, window: float = 0.25) -> bool:
    """Whether, before `seconds` have passed, the process uses under IDLE_SHARE of a
    core over a whole `window`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() + window <= deadline:
        before, start = _cpu_seconds(pid), time.monotonic()
        time.sleep(window)  # a sample of the process's CPU time over the window
        if _cpu_seconds(pid) - before < IDLE_SHARE * (time.monotonic() - start):
            return True
    return False


def _hang_up_on(port: int, path: str, headers: str = "") -> None:
    """Ask for `path` and close the connection once the answer starts (or after 0.2 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
        sock.settimeout(0.2)
        with contextlib.suppress(TimeoutError):
            sock.recv(1024)


def _change_the_thread(site: Site) -> None:
    """A vote: the thread's version moves, so the next View all builds its cards again."""
    reader = Browser(site.port)
    reader.csrf()
    status, body = reader.request("GET", f"/api/comments?thread={site.thread_key}")
    assert status == 200
    first = int(body.split(b'"id":', 1)[1].split(b",", 1)[0])
    status, _ = reader.post_json(f"/api/comments/{first}/vote", {"value": 1})
    assert status == 200


def test_a_reader_who_hangs_up_on_view_all_leaves_no_work_behind(site):
    """After the hang-up the server soon idles, having spent under a second of CPU on the
    abandoned answer from then on (the whole page without JavaScript, and the
    section htmx asks for), each with the thread's cards to build afresh. Measured as CPU
    time, not wall time, so that a busy machine slows the test down without failing it."""
    pid = site.process.pid
    assert _idle_within(pid, 30), "the server settles after starting"
    article_id = site.thread_key.split(":", 1)[1]
    asks = [
        (f"{ARTICLE}?call=1", ""),
        (f"/comments/articles/{article_id}/?call=1", "HX-Request: true\r\n"),
    ]
    for path, headers in asks:
        _change_the_thread(site)
        assert _idle_within(pid, 10)
        _hang_up_on(site.port, path, headers)
        before = _cpu_seconds(pid)
        assert _idle_within(pid, 15), f"still working long after the hang-up: {path}"
        spent = _cpu_seconds(pid) - before
        assert spent < AFTER_HANG_UP_CPU_SECONDS, (path, spent)
    status, page = Browser(site.port, timeout=60).request("GET", f"{ARTICLE}?call=1")
    assert status == 200
    assert page.count(b' data-depth="') >= COMMENTS
