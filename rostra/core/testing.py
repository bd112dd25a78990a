"""Helpers for tests that run the real `rostra` command as an operator would."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from rostra.config import env

ROSTRA = [sys.executable, "-m", "rostra"]
START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without Rostra's variables or the test settings."""
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in env.VARIABLES and k != "DJANGO_SETTINGS_MODULE"
    }
    child_env.update(variables)
    return child_env


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
