"""Discussion benchmark: `make bench`.

Starts a real `rostra serve` on 127.0.0.1 with a fresh SQLite data directory, seeds an
article with 2,000 comments (10% replies) and measures, over keep-alive HTTP:
the article page, the thread API (first page and whole thread), and posting rate with
1 and 8 concurrent clients. Rate limits are relaxed for this run only. Every loop is
bounded in count.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from serving import free_port, scratch_directory, wait_until_healthy

from rostra.core.testing import Browser

ARTICLE_SLUG = "how-the-new-flood-barrier-on-the-marrow-estuary-will-work"
ARTICLE_PATH = f"/environment/{ARTICLE_SLUG}/"
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "2000"))
READS = int(os.environ.get("BENCH_READS", "60"))
POSTS_ONE_CLIENT = int(os.environ.get("BENCH_POSTS", "600"))
CONCURRENT_CLIENTS = 8


def timed(client: Browser, path: str, count: int) -> list[float]:
    client.request("GET", path)  # warm up caches and renditions
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        status, _ = client.request("GET", path)
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200, (path, status)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def post_many(port: int, thread_key: str, count: int, prefix: str) -> int:
    client = Browser(port)
    token = client.csrf()
    ok = 0
    for n in range(count):
        body = json.dumps({"thread": thread_key, "body": f"{prefix} post {n}", "name": prefix})
        status, data = client.request(
            "POST",
            "/api/comments",
            body=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        assert status == 201, (status, data[:200])
        ok += 1
    return ok


def posting_rate(port: int, thread_key: str, clients: int, per_client: int) -> float:
    results = []
    threads = [
        threading.Thread(
            target=lambda i=i: results.append(post_many(port, thread_key, per_client, f"c{i}"))
        )
        for i in range(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - start
    assert sum(results) == clients * per_client, results
    return sum(results) / elapsed


def main() -> int:
    with scratch_directory("rostra-bench-") as data_dir:
        return run(data_dir)


def run(data_dir: Path) -> int:
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        ROSTRA_COMMENT_RATE_LIMIT="1000000/60",
        ROSTRA_COMMENT_MIN_SECONDS="0",
        LOG_LEVEL="WARNING",
        EMAIL_URL="dummy:",
    )
    rostra = [sys.executable, "-m", "rostra"]
    server = None
    try:
        subprocess.run([*rostra, "setup", "--demo"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*rostra, "seed_comments", ARTICLE_SLUG, "--count", str(COMMENTS)],
            env=env,
            check=True,
            capture_output=True,
        )
        log = open(data_dir / "serve.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(
            [*rostra, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
        wait_until_healthy(port, server, data_dir / "serve.log")
        client = Browser(port)
        _, page = client.request("GET", ARTICLE_PATH)
        article_id = re.search(rb'data-article="(\d+)"', page).group(1).decode()
        thread_key = f"article:{article_id}"

        rows = [
            ("article page (first 30 conversations)", timed(client, ARTICLE_PATH, READS)),
            (
                "article page, all comments (?call=1)",
                timed(client, ARTICLE_PATH + "?call=1", READS // 3),
            ),
            ("API thread, first page", timed(client, f"/api/comments?thread={thread_key}", READS)),
            (
                "API thread, whole thread",
                timed(client, f"/api/comments?thread={thread_key}&all=true", READS // 3),
            ),
        ]
        _, data = client.request("GET", f"/api/comments?thread={thread_key}&all=true")
        total = json.loads(data)["total_comments"]

        one = posting_rate(port, thread_key, 1, POSTS_ONE_CLIENT)
        eight = posting_rate(port, thread_key, CONCURRENT_CLIENTS, POSTS_ONE_CLIENT // 4)

        print(
            f"\nRostra discussion benchmark — SQLite, {total} comments before posting, 127.0.0.1\n"
        )
        print(f"{'measure':<42} {'p50 ms':>8} {'p95 ms':>8} {'n':>5}")
        for label, samples in rows:
            p50, p95 = statistics.median(samples), percentile(samples, 0.95)
            print(f"{label:<42} {p50:>8.1f} {p95:>8.1f} {len(samples):>5}")
        print(f"{'posting, 1 client (comments/s)':<42} {one:>8.0f}")
        print(f"{'posting, 8 concurrent clients (comments/s)':<42} {eight:>8.0f}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
