"""On PostgreSQL, a comment posted to one `rostra serve` process reaches a live stream
held by another, and a reconnect resumes without loss or repeats."""

import http.client
import json
import os
import subprocess
from urllib.parse import urlsplit

import pytest

from e2e.conftest import RunningServer
from e2e.test_live_journey import _read_events
from rostra.core.testing import ROSTRA, free_port, stop, wait_until_healthy

ARTICLE = "/city/ferry-timetable-to-change-as-the-second-vessel-returns-from-refit/"

pytestmark = [
    pytest.mark.both_databases,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="several server processes share events through PostgreSQL LISTEN/NOTIFY",
    ),
]


@pytest.fixture
def second_process(rostra_server, tmp_path):
    port = free_port()
    env = {**rostra_server.env, "ROSTRA_DATA_DIR": str(tmp_path)}
    log_path = tmp_path / "serve-b.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            # The first server migrated the database; streams need no static files. One
            # process: the test is about two servers' events, not one server's forks.
            [*ROSTRA, "serve", f"--port={port}", "--no-worker", "--no-migrate", "--workers=1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(f"http://127.0.0.1:{port}", "", "", log_path)
    try:
        wait_until_healthy(server.url, process, log_path)
        yield server
    finally:
        stop(process)


def test_comment_posted_on_process_a_streams_from_process_b(rostra_server, second_process, page):
    page.goto(rostra_server.url + ARTICLE)
    box = page.locator("[data-live]")
    article, since = box.get_attribute("data-article"), box.get_attribute("data-since")
    token = page.request.get(rostra_server.url + "/api/csrf").json()["csrf_token"]

    # Hold a stream on B first: the comments posted to A must wake it through
    # PostgreSQL NOTIFY well before B's 15-second heartbeat would have it look again.
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(second_process.url).port, timeout=5)
    conn.request("GET", f"/live/articles/{article}/", headers={"Last-Event-ID": since})
    held = conn.getresponse()
    assert held.readline() == b"retry: 2000\n"
    posted = []
    for n in range(2):
        response = page.request.post(
            rostra_server.url + "/api/comments",
            data={"thread": f"article:{article}", "body": f"Across processes {n}", "name": "A"},
            headers={"X-CSRFToken": token},
        )
        posted.append(response.json()["id"])
    arrived = []
    while len(arrived) < 2:
        line = held.readline().decode()  # times out after 5 s: no NOTIFY, no pass
        if line.startswith("data: "):
            arrived.append(json.loads(line[6:])["comment"])
    conn.close()
    assert arrived == posted

    stream_on_b = f"{second_process.url}/live/articles/{article}/"
    events = _read_events(stream_on_b, since, count=2)
    assert [json.loads(data)["comment"] for _, data in events] == posted
    assert _read_events(stream_on_b, events[0][0], count=1) == [events[1]]
