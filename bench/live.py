"""Live-update benchmark: `make bench` (after the discussion benchmark).

1,000 Server-Sent-Event listeners on one article (asyncio, 127.0.0.1), then comments
posted one at a time; for each comment, the time from the POST to its arrival at every
listener. Run with one `rostra serve` process on SQLite and, when
ROSTRA_TEST_POSTGRES_URL is set, with two processes on PostgreSQL (listeners split
between them, comments posted to the first). Everything is bounded in count and time.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))
from figures import percentile
from serving import free_port, scratch_directory, wait_until_healthy

from rostra.core.testing import Browser, drop_postgres_database
from rostra.core.testing_databases import migrated_sqlite_site

LISTENERS = int(os.environ.get("BENCH_LISTENERS", "1000"))
COMMENTS = int(os.environ.get("BENCH_LIVE_COMMENTS", "5"))
ARTICLE_PATH = "/city/library-extends-opening-hours-after-record-winter-visits/"


async def listen(port, article_id, since, arrivals, ready, stop):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /live/articles/{article_id}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Last-Event-ID: {since}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while True:  # headers, then the first line of the stream: it is live
            line = await asyncio.wait_for(reader.readline(), timeout=60)
            if line.startswith(b"retry:"):
                break
        ready.release()
        while not stop.is_set():
            line = await asyncio.wait_for(reader.readline(), timeout=60)
            if not line:
                break
            if line.startswith(b"data: "):
                comment = json.loads(line[6:])["comment"]
                arrivals.setdefault(comment, []).append(time.perf_counter())
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()


def post_comment(port, token_client, token, article_id, n):
    started = time.perf_counter()
    status, data = token_client.request(
        "POST",
        "/api/comments",
        body=json.dumps({"thread": f"article:{article_id}", "body": f"live {n}", "name": "B"}),
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert status == 201, data[:200]
    return json.loads(data)["id"], started


async def run_round(ports, article_id, since):
    arrivals: dict[int, list[float]] = {}
    ready = asyncio.Semaphore(0)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(listen(ports[i % len(ports)], article_id, since, arrivals, ready, stop))
        for i in range(LISTENERS)
    ]
    for _ in range(LISTENERS):
        await ready.acquire()
    client = Browser(ports[0])
    token = client.csrf()
    latencies = []
    for n in range(COMMENTS):
        comment_id, started = await asyncio.to_thread(
            post_comment, ports[0], client, token, article_id, n
        )
        deadline = time.perf_counter() + 10
        while len(arrivals.get(comment_id, [])) < LISTENERS and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        got = arrivals.get(comment_id, [])
        assert len(got) == LISTENERS, f"{len(got)}/{LISTENERS} listeners got comment {comment_id}"
        latencies += [(moment - started) * 1000 for moment in got]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


def start_servers(env, count):
    rostra = [sys.executable, "-m", "rostra"]
    processes, ports, logs = [], [], []
    for i in range(count):
        port = free_port()
        # The first process uses the prepared data directory (and its SQLite file); others
        # share only the PostgreSQL database.
        data_dir = Path(env["ROSTRA_DATA_DIR"]) / (f"p{i}" if i else "")
        data_dir.mkdir(exist_ok=True)
        extra = ["--no-worker"] if i else []
        logs.append(data_dir / "serve.log")
        log = open(logs[-1], "w")  # noqa: SIM115 - closed with the process
        processes.append(
            subprocess.Popen(
                [*rostra, "serve", "--port", str(port), *extra],
                env={**env, "ROSTRA_DATA_DIR": str(data_dir)},
                stdout=log,
                stderr=log,
            )
        )
        ports.append(port)
    try:
        for port, process, log_path in zip(ports, processes, logs, strict=True):
            wait_until_healthy(port, process, log_path)
    except BaseException:
        stop_servers(processes)
        raise
    return processes, ports


def stop_servers(processes):
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def measure(label, env, processes_count):
    rostra = [sys.executable, "-m", "rostra"]
    if "DATABASE_URL" not in env:  # a copy of a migrated database, made once per schema
        migrated_sqlite_site(Path(env["ROSTRA_DATA_DIR"]))
    subprocess.run([*rostra, "setup", "--demo"], env=env, check=True, capture_output=True)
    processes, ports = start_servers(env, processes_count)
    try:
        client = Browser(ports[0])
        _, page = client.request("GET", ARTICLE_PATH)
        html = page.decode()
        article_id = html.split('data-article="')[1].split('"')[0]
        since = html.split('data-since="')[1].split('"')[0]
        latencies = asyncio.run(run_round(ports, article_id, since))
        p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
        print(f"{label:<44} {p50:>8.1f} {p99:>8.1f} {len(latencies):>7}")
    finally:
        stop_servers(processes)


def main():
    base = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    base.update(LOG_LEVEL="WARNING", EMAIL_URL="dummy:", ROSTRA_COMMENT_MIN_SECONDS="0",
                ROSTRA_COMMENT_RATE_LIMIT="1000000/60")  # fmt: skip
    print(f"\nRostra live updates — {LISTENERS} SSE listeners, {COMMENTS} comments, 127.0.0.1\n")
    print(f"{'setup':<44} {'p50 ms':>8} {'p99 ms':>8} {'n':>7}")
    with scratch_directory("rostra-live-") as data_dir:
        measure("1 process, SQLite", {**base, "ROSTRA_DATA_DIR": str(data_dir)}, 1)
        postgres = os.environ.get("ROSTRA_TEST_POSTGRES_URL", "")
        if postgres:
            import psycopg
            from psycopg import sql

            name = f"rostra_bench_{os.getpid()}"
            admin = psycopg.conninfo.make_conninfo(postgres, dbname="postgres")
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            try:
                pg_dir = data_dir / "pg"
                pg_dir.mkdir()
                url = urlsplit(postgres)._replace(path=f"/{name}").geturl()
                env = {**base, "ROSTRA_DATA_DIR": str(pg_dir), "DATABASE_URL": url}
                measure("2 processes, PostgreSQL", env, 2)
            finally:
                drop_postgres_database(admin, name)
        else:
            print("(ROSTRA_TEST_POSTGRES_URL not set: the two-process PostgreSQL run is skipped)")


if __name__ == "__main__":
    main()
