"""A server process that outgrew its memory limit is replaced by a fresh one
(rostra.core.server_processes, `rostra serve --recycle-above MB`)."""

import subprocess
import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command

from rostra.core import server_processes

# In a process of its own: ServerProcesses forks and handles signals for the whole
# process. Each server writes 24 MB after the fork (memory of its own) and serves until
# SIGTERM; the limit is 16 MB. Once a replacement has started, the parent is stopped.
PROGRAM = textwrap.dedent(
    """
    import logging, os, signal, sys, threading, time
    from django.conf import settings
    settings.configure()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    from rostra.core import server_processes

    def serve_one(sock, started):
        started()
        held = bytearray(24 << 20)
        for at in range(0, len(held), 4096):
            held[at] = 1
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        stopping.wait(30)
        print("server", os.getpid(), "stopped", flush=True)
        return True

    sock = server_processes.bind("127.0.0.1", 0, 8)
    processes = server_processes.ServerProcesses(
        count=1, sock=sock, serve_one=serve_one,
        recycle_above_bytes=16 << 20, recycle_not_before_seconds=0,
    )

    def stop_once_replaced():
        deadline = time.monotonic() + 30
        while len(processes.started) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_once_replaced, daemon=True).start()
    processes.run(announce=lambda: None)
    print("started", len(processes.started), flush=True)
    """
)


def test_a_server_over_its_memory_limit_is_replaced_by_a_fresh_one():
    """A server holding more of its own memory than the limit stops as on SIGTERM (its
    serve_one returns), exits as recycled, and the parent starts another in its place
    and logs it as such, not as an error."""
    ran = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert "started 2" in lines, ran.stdout
    held = [line for line in lines if "of its own (limit 16 MB); replacing it" in line]
    assert held, ran.stdout
    first = held[0].split()[3]
    assert f"server {first} stopped" in lines
    assert f"serve: server process {first} outgrew its memory; starting another" in lines
    assert "exited with status" not in ran.stdout


def test_private_memory_counts_what_this_process_wrote():
    """The measure the limit is checked against grows by what the process writes."""
    before = server_processes.private_memory_bytes()
    written = bytearray(8 << 20)
    for at in range(0, len(written), 4096):
        written[at] = 1
    assert server_processes.private_memory_bytes() - before >= 7 << 20


@pytest.mark.parametrize("value", ["-1", "lots", "1.5"])
def test_serve_refuses_a_memory_limit_that_is_not_whole_megabytes(value):
    """`--recycle-above` takes a whole number of megabytes (0: never); anything else is
    refused before anything starts."""
    with pytest.raises(CommandError, match="whole number of megabytes"):
        call_command("serve", "--recycle-above", value)
