"""A real `rostra setup` then `rostra serve`, as an operator runs them.

The files they create are for Rostra's own account and group (nothing for other users
of the machine), and the access log shows a keyed hash where the client's address was.
"""

import http.client
import http.cookiejar
import re
import signal
import stat
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.checks import run_checks

from rostra.config.env import child_environment
from rostra.core.addresses import hash_ip
from rostra.core.testing import (
    ROSTRA,
    child_pids,
    connections_by_process,
    csrf_token,
    free_port,
    multipart,
    rostra_setup,
    sign_in_to_admin,
    stop,
    wait_until_healthy,
)

pytestmark = pytest.mark.sqlite_site
METRICS_TOKEN = "operator-metrics-token"
PROXY_ADDRESS = "127.0.0.2"


@dataclass
class Installation:
    url: str
    data_dir: Path
    log_path: Path
    admin_password: str
    modes_after_setup: dict[str, int]
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def mode(self, name: str) -> int:
        return stat.S_IMODE((self.data_dir / name).stat().st_mode)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("operator") / "data"  # setup creates it
    port = free_port()
    child_env = child_environment(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="dummy:",
        ROSTRA_METRICS_TOKEN=METRICS_TOKEN,
        # A proxy on a loopback address of its own; 127.0.0.1 is not one.
        ROSTRA_TRUSTED_PROXIES=PROXY_ADDRESS,
    )
    # From an empty data directory: this module checks what setup itself creates.
    password = rostra_setup(child_env, migrated=False)
    modes = {
        name: stat.S_IMODE((data_dir / name).stat().st_mode)
        for name in (".", "rostra.sqlite3", "secret_key")
    }
    log_path = data_dir.parent / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            # One process: /metrics below is exact for the process that answers it.
            [*ROSTRA, "serve", "--no-worker", "--workers", "1", "--port", str(port)],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log_path)
        url = f"http://127.0.0.1:{port}"
        yield Installation(url, data_dir, log_path, password, modes, process)
    finally:
        stop(process)


def test_setup_creates_the_data_directory_database_and_key_for_rostra_alone(installation):
    """Directory 0750, database 0640, signing key 0600: others on the machine read nothing."""
    assert installation.modes_after_setup == {
        ".": 0o750,
        "rostra.sqlite3": 0o640,
        "secret_key": 0o600,
    }


def test_with_one_worker_serve_answers_from_its_own_process(installation):
    """`--workers 1` is the single process it always was: nothing forked, and the
    connection is held by `serve` itself."""
    assert child_pids(installation.process.pid) == set()
    port = urllib.parse.urlsplit(installation.url).port
    [conn] = connections_by_process(port, {installation.process.pid}).values()
    conn.close()


def test_database_and_its_wal_and_shm_files_are_private_while_serving(installation):
    urllib.request.urlopen(installation.url + "/healthz").close()
    for name in ("rostra.sqlite3", "rostra.sqlite3-wal", "rostra.sqlite3-shm"):
        assert installation.mode(name) == 0o640, name


def _get(installation, path: str, *, source: str, headers: dict[str, str]) -> int:
    """GET `path` over a connection from the loopback address `source`."""
    port = urllib.parse.urlsplit(installation.url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _access_lines(installation, path: str) -> list[str]:
    return [line for line in installation.log().splitlines() if f'"GET {path}' in line]


def test_access_log_shows_a_keyed_hash_instead_of_the_client_address(installation, settings):
    """X-Forwarded-For from the trusted proxy gives the reader's address, logged hashed."""
    for address in ("203.0.113.7", "2001:db8:5:6::7", None):
        headers = {"X-Forwarded-For": address} if address else {}
        assert _get(installation, "/robots.txt", source=PROXY_ADDRESS, headers=headers) == 200

    log = installation.log()
    access_lines = _access_lines(installation, "/robots.txt")
    assert len(access_lines) == 3, log[-3000:]
    assert "203.0.113.7" not in log and "2001:db8:5:6" not in log
    assert not any(PROXY_ADDRESS in line for line in access_lines)
    settings.SECRET_KEY = (installation.data_dir / "secret_key").read_text().strip()
    assert hash_ip("203.0.113.7") in access_lines[0]
    assert hash_ip("2001:db8:5:6::1") in access_lines[1], "IPv6 is logged by its /64"
    assert hash_ip(PROXY_ADDRESS) in access_lines[2]


def test_signed_links_are_redacted_in_the_access_log_and_request_warnings(installation):
    """An unsubscribe link's signed token, a reply feed's, and a `token=` parameter are
    credentials: neither the access line nor Django's "Not Found" warning shows them."""
    secret = "eyJzZWNyZXQiOjF9:1tSecret:QWxsb3dlZEJ5VGhlTGlua29ubHk"
    paths = [
        f"/notifications/unsubscribe/{secret}/",
        f"/notifications/feeds/replies/{secret}/",
        "/robots.txt?token=QWxsb3dlZEJ5VGhlTGlua29ubHk",
    ]
    for path in paths:
        _get(installation, path, source="127.0.0.1", headers={})
    log = installation.log()
    assert "QWxsb3dlZEJ5VGhlTGlua29ubHk" not in log and "1tSecret" not in log
    assert '"GET /notifications/unsubscribe/[redacted]/' in log
    assert '"GET /robots.txt?token=[redacted]' in log


def test_forwarded_headers_from_an_unlisted_peer_are_ignored_and_reported(installation, settings):
    """127.0.0.1 is not in ROSTRA_TRUSTED_PROXIES here: its X-Forwarded-For is ignored,
    the log says so (by the peer's hash) and the deploy check warns."""
    headers = {"X-Forwarded-For": "198.51.100.23"}
    assert _get(installation, "/robots.txt?unlisted", source="127.0.0.1", headers=headers) == 200

    settings.SECRET_KEY = (installation.data_dir / "secret_key").read_text().strip()
    [access_line] = _access_lines(installation, "/robots.txt?unlisted")
    assert hash_ip("127.0.0.1") in access_line
    log = installation.log()
    assert f"Ignored X-Forwarded-For/X-Forwarded-Proto from client {hash_ip('127.0.0.1')}" in log
    assert "198.51.100.23" not in log and "127.0.0.1 " not in log.replace(installation.url, "")
    settings.DATA_DIR = installation.data_dir  # where the server left its notice
    warnings = run_checks(include_deployment_checks=True)
    assert "rostra.W005" in {warning.id for warning in warnings}


def test_an_uploaded_import_file_is_readable_by_rostra_alone(installation):
    """The export an editor uploads (readers' e-mail addresses) is stored 0600 in 0700
    directories; `--no-worker` leaves it there, unimported, to look at."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    sign_in_to_admin(browser, installation.url, installation.admin_password)

    import_page = browser.open(installation.url + "/admin/import/").read().decode()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": csrf_token(import_page)},
        name="file",
        filename="export.xml",
        content=b"<rss><channel></channel></rss>",
    )
    upload = urllib.request.Request(
        installation.url + "/admin/import/", body, {"Content-Type": content_type}
    )
    assert "/admin/import/" in browser.open(upload).url

    stored = [p for p in (installation.data_dir / "private").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == ["export.xml"]
    assert stat.S_IMODE(stored[0].stat().st_mode) == 0o600
    for directory in stored[0].relative_to(installation.data_dir).parents:
        if directory.parts[:1] == ("private",):
            assert installation.mode(str(directory)) & 0o077 == 0, directory


def test_upgrade_after_serve_does_not_collect_unchanged_static_files(installation):
    """`serve` collected the static files and kept their fingerprint beside them; an
    `upgrade` with the same code finds nothing to collect and says so."""
    assert (installation.data_dir / "static" / "staticfiles.json").is_file()
    assert (installation.data_dir / "static.fingerprint").is_file()
    child_env = child_environment(
        ROSTRA_DATA_DIR=str(installation.data_dir), ROSTRA_BASE_URL=installation.url
    )
    upgrade = subprocess.run(
        [*ROSTRA, "upgrade"], env=child_env, capture_output=True, text=True, timeout=120
    )
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    assert "Static files unchanged since they were last collected." in upgrade.stdout


def test_metrics_of_the_running_server_count_its_requests(installation):
    """Prometheus reads /metrics with the token, addressing the machine by IP; the
    requests the server answered are counted by method and status class."""

    def scrape() -> str:
        request = urllib.request.Request(
            installation.url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            return response.read().decode()

    def get_2xx(text: str) -> int:
        found = re.search(
            r'^rostra_http_requests_total\{method="GET",status="2xx"\} (\d+)$', text, re.M
        )
        return int(found.group(1)) if found else 0

    before = get_2xx(scrape())
    for _ in range(3):
        urllib.request.urlopen(installation.url + "/robots.txt").close()
    text = scrape()
    assert get_2xx(text) == before + 1 + 3
    assert "# TYPE rostra_comments gauge" in text
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(installation.url + "/metrics")
    assert refused.value.code == 401


def test_sigterm_ends_serve_after_its_graceful_stop(installation):
    """Last in the module (it stops the shared server). SIGTERM lets uvicorn finish,
    then `serve` itself goes on (flushing its request counts, stopping its worker) and
    exits 0, instead of being ended by the signal uvicorn raises again."""
    installation.process.send_signal(signal.SIGTERM)
    assert installation.process.wait(timeout=60) == 0
    assert "Finished server process" in installation.log()
