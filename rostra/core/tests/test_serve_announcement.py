"""`rostra serve` says it is serving only once its port is bound."""

import socket
import subprocess

import pytest

from rostra.config.env import child_environment
from rostra.core.testing import ROSTRA, free_port


@pytest.mark.sqlite_site
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_already_taken_is_an_error_and_no_serving_line(tmp_path, workers):
    """A script waiting for "Rostra is serving" never hears it from a server that could
    not listen, one process or several; the operator reads why and the command exits
    non-zero."""
    port = free_port()
    command = [*ROSTRA, "serve", "--no-worker", "--no-migrate", "--workers", workers]
    env = child_environment(ROSTRA_DATA_DIR=str(tmp_path), EMAIL_URL="dummy:")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run(
            [*command, "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode != 0
    assert "Rostra is serving" not in done.stdout
    assert "address already in use" in done.stderr
