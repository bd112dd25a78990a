"""Helpers for tests that run the real `rostra` command as an operator would."""

import base64
import hashlib
import hmac
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROSTRA = [sys.executable, "-m", "rostra"]
START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rostra_setup(child_env: dict[str, str], *options: str) -> str:
    """Run `rostra setup` (with `options`, e.g. --demo) as an operator does; return the
    password it printed for the first admin ("admin")."""
    setup = subprocess.run(  # noqa: S603 - the `rostra` command of this checkout
        [*ROSTRA, "setup", *options],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    return re.search(r"^\s+password:\s+(\S+)$", setup.stdout, re.MULTILINE).group(1)


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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-4000:]


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
