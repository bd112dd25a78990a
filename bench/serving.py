"""Starting a benchmark's `rostra serve`: a free port, waiting for /healthz with a deadline,
and a scratch directory kept when the server did not come up (its log is in there).

A server that never answers ends the benchmark with one line saying what was awaited
and where the server's log is, and a non-zero exit status: no traceback to read.
"""

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

START_SECONDS = float(os.environ.get("BENCH_START_SECONDS", "180"))


class ServerNotReady(SystemExit):
    """Ends the benchmark with its message on standard error and exit status 1."""

    def __init__(self, message: str):
        super().__init__(f"make bench: {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz_status(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def wait_until_healthy(
    port: int, process: subprocess.Popen, log_path: Path, *, seconds: float = START_SECONDS
) -> None:
    """Return once http://127.0.0.1:`port`/healthz answers 200; raise ServerNotReady when
    the process exits first or `seconds` pass."""
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerNotReady(
                f"rostra serve exited with status {process.returncode} before {url} "
                f"answered; its log: {log_path}"
            )
        if _healthz_status(port) == 200:
            return
        time.sleep(0.2)
    raise ServerNotReady(
        f"rostra serve did not answer {url} with 200 within {seconds:g} s "
        f"(BENCH_START_SECONDS); its log: {log_path}"
    )


@contextlib.contextmanager
def scratch_directory(prefix: str):
    """A temporary directory, removed afterwards unless a server in it did not start."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    keep = False
    try:
        yield path
    except ServerNotReady:
        keep = True
        raise
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)
