"""Optional error reports to Sentry: sent when SENTRY_DSN is set, without client data."""

import gzip
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.checks import run_checks

from rostra.core.tests.test_runtime import _rostra

# Error reports leave through sentry-sdk whatever the database: once, in the SQLite pass.
pytestmark = pytest.mark.database_independent

READER_REQUEST = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/fail/",
    "QUERY_STRING": "page=2",
    "HTTP_HOST": "127.0.0.1",
    "REMOTE_ADDR": "203.0.113.9",
    "HTTP_X_FORWARDED_FOR": "198.51.100.4",
    "HTTP_X_REAL_IP": "198.51.100.5",
    "HTTP_FORWARDED": "for=198.51.100.6;proto=https",
    "HTTP_CF_CONNECTING_IP": "198.51.100.7",
    "HTTP_TRUE_CLIENT_IP": "198.51.100.8",
    "HTTP_COOKIE": "sessionid=reader-session-secret",
    "HTTP_AUTHORIZATION": "Bearer reader-credential",
    "HTTP_USER_AGENT": "ReaderBrowser/1.0",
}
# What must not leave the machine: sentry-sdk itself drops some of these, the
# Forwarded, CF-Connecting-IP and True-Client-IP headers only Rostra's before_send does.
PRIVATE = [
    "203.0.113.9",
    *(f"198.51.100.{n}" for n in range(4, 9)),
    "reader-session-secret",
    "reader-credential",
]

# A `rostra shell` script: a view that fails, asked for through Django's WSGI handler (as
# under `rostra serve`) by a reader whose request carries an address, forwarded
# addresses, a cookie and a credential.
FAILING_REQUEST = """
import json, sys, types
from pathlib import Path
from wsgiref.util import setup_testing_defaults
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings
from django.urls import path

def fail(request):
    raise RuntimeError("the printing press jammed")

urls = types.ModuleType("failing_urls")
urls.urlpatterns = [path("fail/", fail)]
sys.modules["failing_urls"] = urls
environ = json.loads(Path(REQUEST_FILE).read_text())  # not in argv, which Sentry sends
setup_testing_defaults(environ)
statuses = []
with override_settings(ROOT_URLCONF="failing_urls"):
    # The handler `rostra serve` runs each ordinary request through (see asgi.py).
    b"".join(WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status)))
print("status", statuses[0])
sentry_sdk.flush(timeout=20)
"""


class EnvelopeCollector(BaseHTTPRequestHandler):
    """Stands where Sentry's ingest is: keeps each envelope POSTed to it, decompressed."""

    envelopes: list[bytes]
    arrived: threading.Event

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.server.arrived.set()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_ingest():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EnvelopeCollector)
    server.envelopes = []
    server.arrived = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _events(envelopes) -> list[dict]:
    events = []
    for _path, body in envelopes:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_a_server_error_reaches_sentry_without_client_data(sentry_ingest, tmp_path):
    """With SENTRY_DSN set, a 500 is reported to the DSN's host, with the exception and
    the path, but no client IP address, cookie or credential anywhere in it."""
    port = sentry_ingest.server_address[1]
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps(READER_REQUEST))
    result = _rostra(
        "shell",
        "-c",
        f"REQUEST_FILE = {str(request_file)!r}\n{FAILING_REQUEST}",
        extra_env={
            "ROSTRA_DATA_DIR": str(tmp_path),
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/42",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "status 500 Internal Server Error" in result.stdout
    deadline = time.monotonic() + 10
    while not _events(sentry_ingest.envelopes) and time.monotonic() < deadline:
        sentry_ingest.arrived.wait(0.5)
        sentry_ingest.arrived.clear()
    events = _events(sentry_ingest.envelopes)
    assert len(events) == 1, sentry_ingest.envelopes
    assert all(path == "/api/42/envelope/" for path, _ in sentry_ingest.envelopes)
    event = events[0]
    exception = event["exception"]["values"][-1]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "the printing press jammed")
    assert event["request"]["url"].endswith("/fail/")
    assert event["request"]["headers"]["User-Agent"] == "ReaderBrowser/1.0"
    assert event["release"].startswith("rostra@")
    sent = b"".join(body for _, body in sentry_ingest.envelopes).decode()
    for private in PRIVATE:
        assert private not in sent, private
    assert "ip_address" not in event.get("user", {})


def test_without_a_dsn_nothing_is_initialised(tmp_path):
    result = _rostra(
        "shell",
        "-c",
        "import sentry_sdk; print(sentry_sdk.is_initialized())",
        extra_env={"ROSTRA_DATA_DIR": str(tmp_path)},
    )
    assert result.stdout.split()[-1] == "False", result.stderr[-2000:]


def test_a_dsn_without_sentry_sdk_installed_is_flagged(settings, monkeypatch):
    """`check --deploy` warns when SENTRY_DSN is set but the sentry extra is missing."""
    settings.SENTRY_DSN = "https://key@errors.example.org/1"
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "rostra.W011" not in ids, "sentry-sdk is installed in the dev environment"
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # what an install without it sees
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "rostra.W011" in ids
    settings.SENTRY_DSN = ""
    assert "rostra.W011" not in {m.id for m in run_checks(include_deployment_checks=True)}
