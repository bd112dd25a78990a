"""`make bench` waits for its server with a deadline and ends with one clear line."""

import socket
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"

# Starts a real HTTP server (Python's http.server: /healthz is 404 there) the way the
# benchmarks start `rostra serve`, and waits for it with bench/serving.py.
WAIT_FOR_SERVER = """
import subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import serving
port, log_path, seconds = int(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
with open(log_path, "w") as log:
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        stdout=log, stderr=log,
    )
try:
    serving.wait_until_healthy(port, server, log_path, seconds=seconds)
finally:
    server.terminate()
    server.wait(timeout=10)
"""


def _wait_for_server(port: int, log_path: Path, seconds: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WAIT_FOR_SERVER, str(BENCH), str(port), str(log_path), str(seconds)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_server_that_never_answers_healthz_ends_the_bench_with_one_line(tmp_path):
    """After its deadline the benchmark says what it waited for and where the server's
    log is, on one line of standard error, and exits 1 without a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = tmp_path / "serve.log"
    result = _wait_for_server(port, log_path, seconds=1)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"make bench: rostra serve did not answer http://127.0.0.1:{port}/healthz with 200 "
        f"within 1 s (BENCH_START_SECONDS); its log: {log_path}"
    ]


def test_a_server_that_exits_at_start_ends_the_bench_with_one_line(tmp_path):
    """A server that cannot start (its port is taken) is reported with its exit status
    and log, without waiting for the deadline."""
    log_path = tmp_path / "serve.log"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _wait_for_server(port, log_path, seconds=50)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"make bench: rostra serve exited with status 1 before "
        f"http://127.0.0.1:{port}/healthz answered; its log: {log_path}"
    ]
    assert "Address already in use" in log_path.read_text()
