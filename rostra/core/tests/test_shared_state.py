"""Several `rostra serve` processes share one cache (CACHE_URL), so a rate limit counted
by one holds on the others: with the database cache (the default) and with a real
Redis server (Debian's redis-server, started here on a free loopback port)."""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait

import pytest

from rostra.config.cache_url import parse_cache_url
from rostra.config.env import child_environment
from rostra.core.testing import (
    ROSTRA,
    free_port,
    postgres_database,
    run_rostra,
    stop,
    wait_until_healthy,
)
from rostra.core.testing_databases import migrated_sqlite_site

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
TOO_MANY = "Too many failed login attempts"
# allauth keys the limit by the site's host name (and port): behind a load balancer every
# process sees the public one.
PUBLIC_HOST = {"Host": "127.0.0.1:8000"}


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """One SQLite site, upgraded (migrated, static files collected) as for a rolling
    restart, that every process of this module serves."""
    data_dir = tmp_path_factory.mktemp("shared-state") / "data"
    site_env = child_environment(ROSTRA_DATA_DIR=str(data_dir), EMAIL_URL="dummy:")
    migrated_sqlite_site(data_dir)
    run_rostra(site_env, "upgrade")
    return site_env


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if not shutil.which(REDIS_SERVER):
        pytest.fail("Debian's redis-server is missing: run `make test` or apt-get install it")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    # Loopback only, nothing written to disk.
    options = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [REDIS_SERVER, *options, "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_redis(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def _wait_for_redis(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, f"redis-server exited with {process.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.1)
    raise AssertionError("redis-server did not answer PING within 20 s")


@contextlib.contextmanager
def two_servers(site_env: dict, log_dir, **variables):
    """Two `rostra serve --no-worker` processes on the same site, started together."""
    processes = []
    try:
        for name in ("a", "b"):
            port = free_port()
            log_path = log_dir / f"serve-{name}.log"
            with open(log_path, "w") as log:
                process = subprocess.Popen(
                    # One server process each (`--workers N` would have N pools, N limits).
                    [
                        *ROSTRA,
                        "serve",
                        "--no-migrate",
                        "--no-worker",
                        "--workers=1",
                        f"--port={port}",
                    ],
                    env={**site_env, **variables},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            processes.append((f"http://127.0.0.1:{port}", process, log_path))
        for url, process, log_path in processes:
            wait_until_healthy(url, process, log_path)
        yield [url for url, _, _ in processes]
    finally:
        for _, process, _ in processes:
            stop(process)


def _failed_sign_ins(urls: list[str], login: str, attempts: int) -> list[bool]:
    """Post a wrong password for `login` `attempts` times, alternating between `urls`;
    for each attempt, whether it was refused as one too many."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = urllib.request.Request(urls[0] + "/accounts/login/", headers=PUBLIC_HOST)
    with opener.open(page, timeout=10) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    refused = []
    for n in range(attempts):
        form = {"login": login, "password": f"guess {n}", "csrfmiddlewaretoken": token}
        post = urllib.request.Request(
            urls[n % len(urls)] + "/accounts/login/",
            urllib.parse.urlencode(form).encode(),
            headers=PUBLIC_HOST,
        )
        with opener.open(post, timeout=10) as answer:
            refused.append(TOO_MANY in answer.read().decode())
    return refused


@pytest.mark.sqlite_site
@pytest.mark.parametrize("backend", ["db", "redis"])
def test_failed_sign_ins_are_limited_across_processes(site_env, backend, request, tmp_path):
    """Five failed sign-ins per account name in five minutes, for the site: with the
    attempts alternating between two processes, the 6th is refused (and the first five
    are not), by whichever process gets it."""
    cache_url = "db:" if backend == "db" else request.getfixturevalue("redis_url")
    with two_servers(site_env, tmp_path, CACHE_URL=cache_url) as urls:
        assert _failed_sign_ins(urls, "ada", 6) == [False] * 5 + [True]
        # ... and the 7th, on the other process.
        assert _failed_sign_ins(urls, "ada", 1) == [True]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the connection pool is PostgreSQL's",
)
def test_a_serving_process_holds_no_more_connections_than_its_pool(tmp_path):
    """A burst of concurrent requests on all 16 request threads of `rostra serve` uses
    at most ROSTRA_DB_POOL_SIZE (default 8) PostgreSQL connections, during it and after
    (pg_stat_activity of the process's own database)."""
    import psycopg

    database_url, drop = postgres_database(os.environ["DATABASE_URL"])
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    admin = psycopg.conninfo.make_conninfo(os.environ["DATABASE_URL"], dbname="postgres")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        # /healthz asks the database for `SELECT 1`: no tables needed, so no migrations.
        process = subprocess.Popen(
            # One server process each (`--workers N` would have N pools, N limits).
            [*ROSTRA, "serve", "--no-migrate", "--no-worker", "--workers=1", f"--port={port}"],
            env=child_environment(ROSTRA_DATA_DIR=str(tmp_path), DATABASE_URL=database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(url, process, log_path)
        with psycopg.connect(admin, autocommit=True) as watcher:

            def connections() -> int:
                query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                return watcher.execute(query, [name]).fetchone()[0]

            def probe():
                with urllib.request.urlopen(url + "/healthz", timeout=30) as response:
                    return response.status

            counts = []
            with ThreadPoolExecutor(max_workers=32) as clients:
                probes = [clients.submit(probe) for _ in range(320)]
                deadline = time.monotonic() + 120
                while not all(p.done() for p in probes) and time.monotonic() < deadline:
                    counts.append(connections())
                    wait(probes, timeout=0.05)
                statuses = [p.result() for p in probes]
            counts.append(connections())
        assert statuses == [200] * 320
        assert 1 <= max(counts) <= 8, counts
    finally:
        stop(process)
        drop()


REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("db:", {"BACKEND": "rostra.core.cache.DatabaseCache", "LOCATION": "rostra_cache"}),
        ("redis://cache.internal:6379/1", {"BACKEND": REDIS}),
        ("rediss://:s3cret@cache.internal:6380/0", {"BACKEND": REDIS}),
        ("locmem:", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
    ],
)
def test_cache_url_is_parsed(url, expected):
    """Redis URLs go to Django's Redis backend as they are (password, TLS, database)."""
    cache = parse_cache_url(url)["default"]
    assert {key: cache[key] for key in expected} == expected
    if expected["BACKEND"] == REDIS:
        assert cache["LOCATION"] == url


@pytest.mark.parametrize("url", ["memcached://cache:11211", "redis://", ""])
def test_bad_cache_url_names_the_problem(url):
    with pytest.raises(ValueError, match="CACHE_URL"):
        parse_cache_url(url)
