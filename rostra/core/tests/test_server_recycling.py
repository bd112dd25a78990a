"""A server process that outgrew its memory limit is replaced by a fresh one
(rostra.core.server_processes, `rostra serve --recycle-above MB`)."""

import mmap
import subprocess
import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command

from rostra.core import server_processes

# In a process of its own: ServerProcesses forks and handles signals for the whole
# process. The first server writes 24 MB after the fork (memory of its own), the next
# nothing; each serves until SIGTERM. The limit is 16 MB. Once the first server has been
# replaced and has ended, the parent is stopped.
PROGRAM = textwrap.dedent(
    """
    import logging, os, signal, sys, threading, time
    from django.conf import settings
    settings.configure()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    from rostra.core import server_processes

    def serve_one(sock, started):
        first = not processes.started
        started()
        held = bytearray((24 << 20) if first else 0)
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
        recycle_above_bytes=16 << 20, recycle_not_before_seconds=0, memory_check_seconds=1,
    )

    def stop_once_replaced():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            first = min(processes.started, default=None)
            if len(processes.started) >= 2 and first not in processes.running:
                break
            time.sleep(0.05)
        print("serving", len(processes.running), flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_once_replaced, daemon=True).start()
    processes.run(announce=lambda: None)
    print("started", len(processes.started), flush=True)
    """
)


def test_a_server_over_its_memory_limit_is_replaced_by_a_fresh_one():
    """The parent forks a fresh server for one holding more of its own memory than the
    limit, then asks the old one to stop as on SIGTERM (its serve_one returns); the log
    says so, as information, not as an error, and one server serves again."""
    lines, first = _run_and_find_the_first_replaced(PROGRAM)
    assert f"server {first} stopped" in lines
    assert f"serve: server process {first}, replaced for its memory, exited with status 0" in lines
    assert "serving 1" in lines
    assert not any("starting another" in line for line in lines)


def _run_and_find_the_first_replaced(program: str) -> tuple[list[str], str]:
    """Run `program`; the lines it printed and the pid of the first server replaced."""
    ran = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    held = [line for line in lines if "of its own (limit 16 MB); replacing it" in line]
    assert held, ran.stdout
    return lines, held[0].split()[3]


def test_private_memory_counts_what_this_process_wrote():
    """The measure the limit is checked against grows by what the process writes."""
    # A mapping of its own: memory malloc hands out may be pages this long-lived test
    # process had written (and freed) before, which would not count again.
    with mmap.mmap(-1, 8 << 20) as written:
        before = server_processes.private_memory_bytes()
        for at in range(0, len(written), mmap.PAGESIZE):
            written[at] = 1
        assert server_processes.private_memory_bytes() - before >= 7 << 20


@pytest.mark.parametrize("value", ["-1", "lots", "1.5"])
def test_serve_refuses_a_memory_limit_that_is_not_whole_megabytes(value):
    """`--recycle-above` takes a whole number of megabytes (0: never); anything else is
    refused before anything starts."""
    with pytest.raises(CommandError, match="whole number of megabytes"):
        call_command("serve", "--recycle-above", value)


# The first server (24 MB of its own) ends by itself once its replacement is forked;
# the replacement says it serves only after that.
ENDS_WHILE_REPLACED = textwrap.dedent(
    """
    import logging, os, signal, sys, threading, time
    from pathlib import Path
    from django.conf import settings
    settings.configure()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    from rostra.core import server_processes

    def siblings():
        parent = os.getppid()
        return set(Path(f"/proc/{parent}/task/{parent}/children").read_text().split())

    def serve_one(sock, started):
        first = not processes.started
        deadline = time.monotonic() + 30
        if first:
            started()
            held = bytearray(24 << 20)
            for at in range(0, len(held), 4096):
                held[at] = 1
            while len(siblings()) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            return True
        while len(siblings()) > 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        started()
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        stopping.wait(30)
        return True

    sock = server_processes.bind("127.0.0.1", 0, 8)
    processes = server_processes.ServerProcesses(
        count=1, sock=sock, serve_one=serve_one,
        recycle_above_bytes=16 << 20, recycle_not_before_seconds=0, memory_check_seconds=1,
    )

    def stop_once_the_replacement_serves():
        deadline = time.monotonic() + 30
        while len(processes.started) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        print("serving", len(processes.running), flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_once_the_replacement_serves, daemon=True).start()
    processes.run(announce=lambda: None)
    """
)


def test_a_server_that_ends_while_its_replacement_starts_is_not_replaced_twice():
    """A server that ends (here: by itself) after the parent forked its replacement is
    not replaced once more: the log says the fresh one takes its place, and one server
    serves afterwards, not two."""
    lines, first = _run_and_find_the_first_replaced(ENDS_WHILE_REPLACED)
    assert any(
        line.startswith(f"serve: server process {first} exited with status 0; ")
        and line.endswith("takes its place")
        for line in lines
    ), lines
    assert "serving 1" in lines
    assert not any("starting another" in line for line in lines)
