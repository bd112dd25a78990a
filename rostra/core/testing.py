"""Helpers for tests that run the real `rostra` command as an operator would."""

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import re
import secrets
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from rostra.core.testing_databases import (
    demo_sqlite_site,
    first_admin_password,
    migrated_sqlite_site,
    postgres_template,
)

ROSTRA = [sys.executable, "-m", "rostra"]
START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_rostra(child_env: dict[str, str], *args: str, timeout: float = 300):
    """Run `rostra ARGS` to completion as an operator does; fail the test with the end of
    its error output unless it succeeded. Returns the completed process."""
    done = subprocess.run(  # noqa: S603 - the `rostra` command of this checkout
        [*ROSTRA, *args],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def rostra_setup(child_env: dict[str, str], *options: str, migrated: bool = True) -> str:
    """Run `rostra setup` (with `options`, e.g. --demo) as an operator does; return the
    password it printed for the first admin ("admin").

    Unless `migrated` is False, a SQLite site starts from a copy of a migrated database
    (rostra.core.testing_databases), so setup's migrate has nothing left to apply; a
    PostgreSQL site gets that from `postgres_database(url, migrated=True)`. A SQLite demo
    site is a copy of one set up once per test run (`demo_sqlite_site`)."""
    on_sqlite = not child_env.get("DATABASE_URL")
    if migrated and on_sqlite and options == ("--demo",):
        return demo_sqlite_site(child_env)
    if migrated and on_sqlite:
        migrated_sqlite_site(Path(child_env["ROSTRA_DATA_DIR"]))
    setup = run_rostra(child_env, "setup", *options)
    return first_admin_password(setup.stdout)


class Browser:
    """One reader's browser talking to a local server: a keep-alive connection that
    keeps its cookies and sends the CSRF token once it has one."""

    def __init__(self, port: int, *, timeout: float = 30):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers.setdefault("X-CSRFToken", self.token)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed the keep-alive connection while it was idle, as servers
            # do after a few seconds: ask again on a new one, as a browser does.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self._keep_cookie(value)
        return response.status, data

    def _keep_cookie(self, set_cookie: str) -> None:
        """Keep the cookie, or forget it when the server deletes it (Max-Age=0 or an
        expiry in the past, as Django's `delete_cookie` sends), as a browser does."""
        name, _, rest = set_cookie.partition("=")
        value, *attributes = (part.strip() for part in rest.split(";"))
        for attribute in attributes:
            key, _, setting = attribute.partition("=")
            key = key.lower()
            expired = (key == "max-age" and setting.strip() in ("0", "-1")) or (
                key == "expires" and "1970" in setting
            )
            if expired:
                self.cookies.pop(name, None)
                return
        self.cookies[name] = value

    def post_json(self, path: str, payload) -> tuple[int, bytes]:
        return self.request("POST", path, json.dumps(payload), {"Content-Type": "application/json"})

    def csrf(self) -> str:
        status, data = self.request("GET", "/api/csrf")
        assert status == 200, status
        self.token = json.loads(data)["csrf_token"]
        return self.token


def wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    """Return once `url`/healthz answers 200; raise with the server's log otherwise."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"rostra serve exited with {process.returncode}:\n{_tail(log_path)}"
            )
        try:
            health = f"{url}/healthz"  # a local http:// server this test started
            with urllib.request.urlopen(health, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(
        f"rostra serve did not answer within {START_TIMEOUT_SECONDS}s:\n{_tail(log_path)}"
    )


def child_pids(pid: int) -> set[int]:
    """The processes `pid` started that are still running (Linux /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in children}


def server_pid(conn: http.client.HTTPConnection, candidates: set[int]) -> int | None:
    """Which of `candidates` holds the server's end of `conn`, an open connection to a
    local server that has answered on it (Linux /proc: the kernel's socket table gives
    the end's inode, a process's descriptors name the inodes it holds)."""
    client_port = conn.sock.getsockname()[1]
    server_port = conn.sock.getpeername()[1]
    wanted = f":{server_port:04X}", f":{client_port:04X}"
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if (fields[1][-5:], fields[2][-5:]) == wanted:
                inode = fields[9]
    for pid in candidates:
        with contextlib.suppress(FileNotFoundError):
            for descriptor in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(FileNotFoundError):
                    if descriptor.readlink().name == f"socket:[{inode}]":
                        return pid
    return None


def connections_by_process(
    port: int, pids: set[int], *, attempts: int = 100
) -> dict[int, http.client.HTTPConnection]:
    """An open keep-alive connection to each of the server processes `pids` sharing
    `port`: new connections are opened until the kernel has handed one to each (at most
    `attempts`; the others are closed). Each has had one answer, from /healthz."""
    found: dict[int, http.client.HTTPConnection] = {}
    for _ in range(attempts):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        pid = server_pid(conn, pids)
        if pid is None or pid in found:
            conn.close()
        else:
            found[pid] = conn
        if len(found) == len(pids):
            return found
    for conn in found.values():
        conn.close()
    raise AssertionError(f"{attempts} connections reached only processes {sorted(found)}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-4000:]


def postgres_database(url: str, *, migrated: bool = False):
    """Create a database beside the one `url` names, empty or (`migrated`) a copy of one
    with every migration applied; return (its url, drop)."""
    import psycopg
    from psycopg import sql

    name = f"rostra_e2e_{secrets.token_hex(4)}"
    admin_conninfo = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if migrated:
        template = sql.Identifier(postgres_template(url))
        create = sql.SQL("{} TEMPLATE {}").format(create, template)
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(create)

    def drop():
        drop_postgres_database(admin_conninfo, name)

    return urlsplit(url)._replace(path=f"/{name}").geturl(), drop


def drop_postgres_database(admin_conninfo: str, name: str) -> None:
    """Drop database `name`, ending our own role's sessions on it first.

    Not `WITH (FORCE)`: that also has to signal the autovacuum worker a freshly migrated
    database attracts, which a role without pg_signal_backend (CI's) may not do. A plain
    DROP asks autovacuum to leave by itself and waits for it; it is retried while a
    session is still closing.
    """
    import psycopg
    from psycopg import errors, sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        for attempt in range(20):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                [name],
            )
            try:
                conn.execute(drop)
                return
            except errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.25)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` (RFC 6238, SHA-1, 30 s)."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in `html`."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def multipart(fields: dict[str, str], *, name: str, filename: str, content: bytes):
    """(body, content type) of a form posting `fields` and one file."""
    boundary = "rostra-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/xml\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sign_in_to_admin(opener: urllib.request.OpenerDirector, url: str, password: str) -> None:
    """Sign in as the first admin (`rostra setup`'s "admin") through /admin/login/, which
    leads to the site's sign-in page; `opener` keeps the session cookie."""
    sign_in = opener.open(url + "/admin/login/")
    form = {"login": "admin", "password": password}
    form["csrfmiddlewaretoken"] = csrf_token(sign_in.read().decode())
    opener.open(sign_in.url, urllib.parse.urlencode(form).encode()).close()


class MailServer:
    """An SMTP server on 127.0.0.1 that keeps what it receives: the outlet's mail server,
    as seen by `rostra` processes started with `EMAIL_URL=smtp://127.0.0.1:<port>`.

    `hold_after(n)` makes every connection after the n-th message wait before its
    greeting (a sender stuck mid-send, to be killed there) until `release()`.
    """

    def __init__(self):
        self.recipients: list[str] = []  # one entry per accepted message and recipient
        self._changed = threading.Condition()
        self._held = 0
        self._hold_after: int | None = None
        self._released = threading.Event()
        recorder = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                with contextlib.suppress(OSError):
                    recorder._converse(self.rfile, self.wfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def hold_after(self, count: int) -> None:
        self._released.clear()
        self._held = 0
        self._hold_after = count

    def release(self) -> None:
        self._hold_after = None
        self._released.set()

    def wait_for(self, predicate, *, timeout: float, what: str) -> None:
        """Wait until `predicate(server)` holds; fail after `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout=timeout):
                raise AssertionError(f"mail server: {what} not within {timeout}s")

    @property
    def held(self) -> int:
        return self._held

    def _converse(self, rfile, wfile) -> None:
        if self._hold_after is not None and len(self.recipients) >= self._hold_after:
            with self._changed:
                self._held += 1
                self._changed.notify_all()
            self._released.wait(START_TIMEOUT_SECONDS)
        wfile.write(b"220 rostra-test ESMTP\r\n")
        recipients = []
        for line in rfile:
            verb = line[:4].upper()
            if verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
            if verb == b"DATA":
                wfile.write(b"354 end with <CRLF>.<CRLF>\r\n")
                for data_line in rfile:
                    if data_line == b".\r\n":
                        break
                with self._changed:
                    self.recipients.extend(recipients)
                    self._changed.notify_all()
                recipients = []
                wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                wfile.write(b"250 ok\r\n")
