"""`rostra serve --workers 2` on SQLite: two server processes on one port and one task
worker; live events, votes and posts work across them; SIGTERM stops them all."""

import json
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from rostra.config.env import child_environment
from rostra.core.testing import (
    ROSTRA,
    Browser,
    child_pids,
    connections_by_process,
    free_port,
    rostra_setup,
    server_pid,
    stop,
    wait_until_healthy,
)

pytestmark = pytest.mark.sqlite_site

ARTICLE = "/culture/review-a-small-book-about-tides-that-reads-like-a-novel/"
# Well under the 15-second heartbeat after which every stream looks again anyway.
LIVE_DEADLINE_SECONDS = 5


@dataclass
class Site:
    port: int
    process: subprocess.Popen
    log_path: Path

    def servers(self) -> set[int]:
        """The server processes `serve` forked (named so in ps and top)."""
        return _children_named(self.process.pid, "rostra server")

    def worker(self) -> set[int]:
        return _children_named(self.process.pid, "rostra worker")


def _children_named(parent: int, name: str) -> set[int]:
    return {pid for pid in child_pids(parent) if _name(pid) == name}


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return ""  # ended meanwhile


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("workers") / "data"
    port = free_port()
    child_env = child_environment(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="dummy:",
        ROSTRA_COMMENT_MIN_SECONDS="0",
        ROSTRA_COMMENT_RATE_LIMIT="1000/60",
    )
    rostra_setup(child_env, "--demo")
    log_path = data_dir / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*ROSTRA, "serve", "--workers", "2", "--port", str(port)],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log_path)
        _wait_for(lambda: "Rostra is serving" in log_path.read_text(), "the announcement")
        yield Site(port, process, log_path)
    finally:
        stop(process)


def _wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} not within {seconds} s"
        time.sleep(0.05)


def _article(site: Site) -> tuple[str, str]:
    """The demo article's id and the id of its latest live event (data-since)."""
    status, page = Browser(site.port).request("GET", ARTICLE)
    assert status == 200, page[:500]
    box = re.search(rb'data-article="(\d+)"[^>]*data-since="(\d+)"', page)
    return box.group(1).decode(), box.group(2).decode()


def _on(conn) -> Browser:
    """A reader whose requests go over `conn` (so to the process holding it)."""
    reader = Browser(0)
    reader.conn = conn
    return reader


def test_two_server_processes_answer_on_one_port_beside_one_worker(site):
    """Connections reach two distinct server processes; `serve` starts one task worker,
    not one per server, and says it is serving once."""
    servers = site.servers()
    assert len(servers) == 2
    assert site.process.pid not in servers
    assert len(site.worker()) == 1
    connections = connections_by_process(site.port, servers)
    assert set(connections) == servers
    for conn in connections.values():
        conn.close()
    assert site.log_path.read_text().count("Rostra is serving") == 1


def _anonymous_shared_kb(pid: int) -> int:
    """Memory of `pid` not backed by a file that it shares with other processes: what
    a process forked from `serve` still shares with it; a process started anew has none."""
    shared, anonymous = 0, False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's first line; a sixth field names a file
            anonymous = len(fields) < 6 or fields[5] in ("[heap]", "[stack]")
        elif anonymous and fields[0] in ("Shared_Clean:", "Shared_Dirty:"):
            shared += int(fields[1])
    return shared


def test_the_worker_and_the_servers_share_the_django_serve_loaded(site):
    """The worker and both servers are forked from `serve` after it loaded Django and the
    site (none loads them again): each still shares tens of megabytes of that memory."""
    children = site.servers() | site.worker()
    assert len(children) == 3
    for pid in children:
        assert _anonymous_shared_kb(pid) > 30 * 1024, pid


def test_on_sqlite_no_process_loads_psycopg(site):
    """Wagtail's API (through rest_framework) would import django.contrib.postgres and
    with it psycopg, which SQLite never uses: none of serve's processes maps it."""
    for pid in {site.process.pid} | site.servers() | site.worker():
        assert "psycopg" not in Path(f"/proc/{pid}/maps").read_text(), pid


def test_a_comment_posted_to_one_process_reaches_a_stream_held_by_the_other(site):
    """On SQLite, without NOTIFY: the process holding the stream sees the new LiveEvent
    row by polling and sends it within LIVE_DEADLINE_SECONDS."""
    article, since = _article(site)
    poster_pid, streamer_pid = sorted(site.servers())
    connections = connections_by_process(site.port, {poster_pid, streamer_pid})
    streaming = connections[streamer_pid]
    streaming.timeout = LIVE_DEADLINE_SECONDS
    streaming.sock.settimeout(LIVE_DEADLINE_SECONDS)
    streaming.request("GET", f"/live/articles/{article}/", headers={"Last-Event-ID": since})
    held = streaming.getresponse()
    assert held.readline() == b"retry: 2000\n"

    poster = _on(connections[poster_pid])
    poster.csrf()
    status, body = poster.post_json(
        "/api/comments", {"thread": f"article:{article}", "body": "Across processes", "name": "A"}
    )
    assert status == 201, body[:300]
    assert server_pid(poster.conn, {poster_pid, streamer_pid}) == poster_pid
    posted = json.loads(body)["id"]

    arrived = None
    while arrived is None:
        line = held.readline().decode()  # times out: no wake-up, no pass
        if line.startswith("data: "):
            arrived = json.loads(line[6:])["comment"]
    streaming.close()
    poster.conn.close()
    assert arrived == posted


def test_votes_and_posts_through_both_processes_at_once_stay_exact(site):
    """Readers on both processes vote on one comment and post to one thread at the same
    time: every vote and every comment is counted once."""
    article, _ = _article(site)
    thread = f"article:{article}"
    author = Browser(site.port)
    author.csrf()
    status, body = author.post_json(
        "/api/comments", {"thread": thread, "body": "Vote on me", "name": "Author"}
    )
    assert status == 201, body[:300]
    comment = json.loads(body)["id"]
    _, before = author.request("GET", f"/api/comments?thread={thread}&all=true")
    comments_before = json.loads(before)["total_comments"]
    voters_per_process, posts_per_process = 10, 5
    connections = connections_by_process(site.port, site.servers())
    failures = []

    def readers_on(conn) -> None:
        for n in range(voters_per_process):
            voter = _on(conn)  # a new reader each time: a new guest on the same connection
            voter.csrf()
            status, body = voter.post_json(f"/api/comments/{comment}/vote", {"value": 1})
            if status != 200:
                failures.append((status, body[:200]))
            if n < posts_per_process:
                status, body = voter.post_json(
                    "/api/comments", {"thread": thread, "body": f"Post {n}", "name": "B"}
                )
                if status != 201:
                    failures.append((status, body[:200]))

    threads = [threading.Thread(target=readers_on, args=(conn,)) for conn in connections.values()]
    for thread_ in threads:
        thread_.start()
    for thread_ in threads:
        thread_.join(timeout=120)
    for conn in connections.values():
        conn.close()
    assert failures == []

    _, after = author.request("GET", f"/api/comments?thread={thread}&all=true")
    after = json.loads(after)
    voted = next(c for c in after["comments"] if c["id"] == comment)
    assert (voted["upvotes"], voted["score"]) == (2 * voters_per_process, 2 * voters_per_process)
    assert after["total_comments"] == comments_before + 2 * posts_per_process


def test_a_server_process_that_dies_is_replaced(site):
    """A server killed outright (as by the kernel for its memory) is replaced by a new
    one, the log says how it ended, and the site keeps answering on both."""
    victim = min(site.servers())
    os.kill(victim, signal.SIGKILL)
    _wait_for(
        lambda: len(site.servers()) == 2 and victim not in site.servers(), "a new server process"
    )
    log = site.log_path.read_text()
    assert f"server process {victim} was ended by Killed; starting another" in log
    for conn in connections_by_process(site.port, site.servers()).values():
        conn.close()


def test_a_worker_that_dies_is_replaced(site):
    """The task worker killed outright is replaced by a new one, forked like the first,
    and the log says how the old one ended."""
    [victim] = site.worker()
    os.kill(victim, signal.SIGKILL)
    _wait_for(lambda: len(site.worker() - {victim}) == 1, "a new task worker")
    log = site.log_path.read_text()
    assert f"task worker {victim} was ended by Killed; starting another" in log


def test_sigterm_stops_every_server_process_and_the_worker(site):
    """Last in the module (it stops the shared site): `serve` returns only after its
    servers and its worker have ended, and with status 0."""
    children = site.servers() | site.worker()
    assert len(children) == 3
    site.process.send_signal(signal.SIGTERM)
    assert site.process.wait(timeout=60) == 0
    still_running = {pid for pid in children if Path(f"/proc/{pid}").exists()}
    assert still_running == set()
    log = site.log_path.read_text()
    assert log.count("Finished server process") == 2, log[-3000:]
