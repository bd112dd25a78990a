"""`rostra serve --workers N`: N server processes accepting on one listening socket.

A Python process runs Python on one core at a time, so a site on one machine (SQLite,
no load balancer) needs several processes to use the machine's cores. `serve` binds the
port and loads Django and the application, then forks the servers: each starts at once,
shares the loaded code's memory with the others until it writes to it, and runs uvicorn
on the inherited socket; the kernel hands each new connection to one of them.

The parent serves nothing itself. It
- says "serving" once, when every server has started;
- replaces a server that dies after it started (killed for its memory, a crash in C
  code), and logs how it ended; a server that dies before it started would fail the
  same way again, so then every server is stopped and `serve` exits with an error;
- replaces a server that outgrew its memory (see below) with a fresh one;
- on SIGTERM or SIGINT asks every server to stop (uvicorn finishes open requests), then
  kills those still running after STOP_GRACE_SECONDS.

The task worker is forked from the same loaded parent (ForkedWorker), before any
server, so it shares that memory too instead of loading Django again; with several
servers the parent also replaces a worker that dies. The parent freezes what it loaded
(`gc.freeze()`) before forking: a collection in a child then never writes to those
objects, which would copy the pages they are on into that child.

A server's memory of its own grows as it serves, and Python (3.11) cannot give most of
it back: every object a request uses has its reference count written, which copies the
parent's page it is on into the server, and what a large answer (a long thread's "View
all") allocated leaves Python's object pools partly used. With a limit given
(`recycle_above_bytes`), the parent looks at its servers' private memory (Private_Dirty,
/proc) every MEMORY_CHECK_SECONDS; when one that has run RECYCLE_NOT_BEFORE_SECONDS
holds more, the parent forks a fresh server, which again shares everything with it, and
once that one serves, asks the old one to stop as on SIGTERM (it finishes its open
requests). One server is replaced at a time, so as many accept on the port throughout.
What a server keeps in memory for speed (stored pages, thread JSON, section frames) is
then built again in the fresh one.

A server asks Linux for SIGTERM when the parent dies, so none is left holding the port;
so does the worker. They are named `rostra server` and `rostra worker` in ps and top.
"""

import contextlib
import ctypes
import gc
import logging
import os
import re
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connections

from rostra.core import malloc

logger = logging.getLogger(__name__)

MOST_BY_DEFAULT = 4
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# uvicorn gives open requests 10 s (timeout_graceful_shutdown in serve.py).
STOP_GRACE_SECONDS = 15
_PID = struct.Struct("=i")  # what a server writes to the parent once it has started
# Reading a server's private memory (smaps_rollup) costs the kernel about 10 ms of CPU
# for a 150 MB process: every 10 s that is 0.1 % of a core per server, every second 1 %.
MEMORY_CHECK_SECONDS = 10.0
# A server is replaced at most this often: long enough that the work of warming a fresh
# one again (its first requests copy the pages they touch, what it kept for speed is built
# again) stays a small part of its life; pages kept whole (rostra.core.stored_pages) are
# kept this long at most anyway.
RECYCLE_NOT_BEFORE_SECONDS = 60.0
# A server's own memory (MB) above which it is replaced, unless `serve` is told otherwise:
# above what a server settles at once it has answered every kind of request (35-45 MB
# on the bench site), so that only a server left bloated by large answers is replaced,
# not every busy one every minute (which would cut its live streams and what it keeps
# for speed that often).
RECYCLE_ABOVE_MB_BY_DEFAULT = 64

# Runs in the forked server with the inherited socket and a callback to call once it
# serves; returns whether it ever started.
ServeOne = Callable[[socket.socket, Callable[[], None]], bool]


def default_count() -> int:
    """One server per core this process may run on, at most MOST_BY_DEFAULT."""
    return max(1, min(len(os.sched_getaffinity(0)), MOST_BY_DEFAULT))


def die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Ask Linux to send this process SIGTERM when its parent ends."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def name_process(name: str) -> None:  # pragma: no cover - runs in the child process
    """The name ps and top show for this process (/proc/PID/comm, 15 bytes at most)."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_name = 15
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_name, name.encode()[:15])


def freeze_before_fork() -> None:
    """Close the database connections, give free memory back and freeze the objects
    loaded so far, so the children share their pages (see the module's docstring)."""
    _release_database_before_fork()
    gc.collect()
    malloc.trim()
    gc.freeze()


def start_child(name: str, main: Callable[[], int]) -> int:
    """Fork a child named `name` that runs `main` (in this thread's state, with the
    default handlers for the stop signals) and exits with what it returns; its pid."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # pragma: no cover - the forked child; its tests run it as a process
        die_with_parent()
        if os.getppid() != parent:
            return pid  # the parent ended before the request above
        name_process(name)
        signal.set_wakeup_fd(-1)
        for sig in (*STOP_SIGNALS, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        code = main()
    except BaseException:
        logger.exception("serve: %s process %d failed", name, os.getpid())
    finally:
        os._exit(code)  # never the parent's cleanup: it belongs to the parent


def private_memory_bytes(pid: int | str = "self") -> int:
    """A process's private memory (Private_Dirty of /proc/PID/smaps_rollup: pages it
    alone has written, including those it copied from its parent). OSError once it has
    ended."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    found = re.search(r"^Private_Dirty:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


def run_in_child(name: str, work: Callable[[], None]) -> int:
    """Run `work` in a forked child named `name` and wait for it; its exit status (0 when
    `work` returned, 1 when it raised: the error is logged). What `work` loads and
    leaves behind ends with the child: `serve` migrates this way, so the migrations'
    modules and the garbage of applying them are not in the memory its processes share.
    Call it while this process runs no other thread."""

    def main() -> int:
        try:
            work()
        finally:  # the child ends with os._exit, which flushes nothing
            sys.stdout.flush()
            sys.stderr.flush()
        return 0

    _release_database_before_fork()
    pid = start_child(name, main)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


class ForkedWorker:
    """The task worker `serve` forks and stops."""

    def __init__(self, run: Callable[[], None], stop_grace_seconds: float):
        self._run = run
        self.stop_grace_seconds = stop_grace_seconds
        self.pid: int | None = None

    def start(self) -> None:
        def main() -> int:
            self._run()
            return 0

        self.pid = start_child("rostra worker", main)

    def ended(self) -> tuple[bool, int]:
        """Whether it has ended (and is reaped), and how."""
        return _reap(self.pid) if self.pid else (True, 0)

    def stop(self) -> None:
        """SIGTERM: the worker finishes the tasks at hand. After `stop_grace_seconds` it
        is killed; what it was running is taken back by the next worker (task_recovery)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        with contextlib.suppress(ProcessLookupError):
            ended_at_once = _reap(pid)[0]
            if ended_at_once:
                return
            os.kill(pid, signal.SIGTERM)
            with _pidfd(pid) as fd:
                if not select.select([fd], [], [], self.stop_grace_seconds)[0]:
                    logger.warning(
                        "serve: task worker %d still running after %d s, killing it",
                        pid,
                        self.stop_grace_seconds,
                    )
                    os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


@contextlib.contextmanager
def _pidfd(pid: int):
    fd = os.pidfd_open(pid)
    try:
        yield fd
    finally:
        os.close(fd)


class StartFailed(Exception):
    """A server process ended before it served."""


class ServerProcesses:
    def __init__(
        self,
        *,
        count: int,
        sock: socket.socket,
        serve_one: ServeOne,
        worker: ForkedWorker | None = None,
        recycle_above_bytes: int = 0,
        recycle_not_before_seconds: float = RECYCLE_NOT_BEFORE_SECONDS,
        memory_check_seconds: float = MEMORY_CHECK_SECONDS,
    ):
        self.count = count
        self.recycle_above_bytes = recycle_above_bytes  # 0: never
        self.recycle_not_before_seconds = recycle_not_before_seconds
        self.memory_check_seconds = memory_check_seconds
        self.sock = sock
        self.serve_one = serve_one
        self.worker = worker  # started already; replaced here when it dies
        self.started: set[int] = set()  # pids of servers that have served
        self.running: set[int] = set()
        self.forked_at: dict[int, float] = {}  # time.monotonic() of each running server
        self.replacing: dict[int, int] = {}  # fresh server: the one it replaces
        self.retiring: set[int] = set()  # replaced, finishing their open requests

    def run(self, announce: Callable[[], None]) -> None:
        """Start the servers and look after them until a stop signal; they have all
        ended when this returns. Raises StartFailed when one ended before serving."""
        freeze_before_fork()
        if threading.active_count() > 1:
            logger.warning("serve: forking with %d threads running", threading.active_count())
        self._ready_read, self._ready_write = os.pipe()
        self._wakeup_read, wakeup_write = os.pipe()
        os.set_blocking(wakeup_write, False)
        previous_handlers = {
            sig: signal.signal(sig, _note) for sig in (*STOP_SIGNALS, signal.SIGCHLD)
        }
        previous_wakeup = signal.set_wakeup_fd(wakeup_write)
        try:
            for _ in range(self.count):
                self._fork()
            self._supervise(announce)
        finally:
            self._stop_all()
            signal.set_wakeup_fd(previous_wakeup)
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
            for fd in (self._ready_read, self._ready_write, self._wakeup_read, wakeup_write):
                os.close(fd)

    def _supervise(self, announce: Callable[[], None]) -> None:
        announced = False
        next_check = time.monotonic() + self.memory_check_seconds
        while True:
            wait = max(0.0, next_check - time.monotonic()) if self.recycle_above_bytes else None
            readable, _, _ = select.select([self._wakeup_read, self._ready_read], [], [], wait)
            if self.recycle_above_bytes and time.monotonic() >= next_check:
                next_check = time.monotonic() + self.memory_check_seconds
                self._replace_one_outgrown()
            if self._ready_read in readable:
                # Several 4-byte writes (atomic in a pipe) may arrive in one read.
                data = os.read(self._ready_read, _PID.size * 64)
                fresh = {pid for (pid,) in _PID.iter_unpack(data)}
                self.started.update(fresh)
                self._retire_replaced(fresh)
                if not announced and self.started >= self.running:
                    announced = True
                    announce()
            if self._wakeup_read in readable:
                received = set(os.read(self._wakeup_read, 64))
                stopping = bool(received & set(STOP_SIGNALS))
                # Stopping: a worker that got the signal too (Ctrl-C reaches the whole
                # process group) and ended is not replaced.
                self._replace_ended(replace_worker=not stopping)
                if stopping:
                    logger.info("serve: stopping the %d server processes", len(self.running))
                    return

    def _replace_one_outgrown(self) -> None:
        """Fork a fresh server for the one holding most private memory over the limit,
        if any (and none is being replaced already)."""
        if self.replacing or self.retiring:
            return
        now = time.monotonic()
        held = {}
        for pid in self.running & self.started:
            if now - self.forked_at.get(pid, now) >= self.recycle_not_before_seconds:
                with contextlib.suppress(OSError):
                    held[pid] = private_memory_bytes(pid)
        outgrown = max(held, key=held.get, default=None)
        if outgrown is None or held[outgrown] <= self.recycle_above_bytes:
            return
        logger.info(
            "serve: server process %d holds %d MB of its own (limit %d MB); "
            "replacing it with a fresh one",
            outgrown,
            held[outgrown] >> 20,
            self.recycle_above_bytes >> 20,
        )
        self.replacing[self._fork()] = outgrown

    def _retire_replaced(self, started: set[int]) -> None:
        """Ask the servers that `started` replace to stop (they finish open requests)."""
        for pid in started:
            old = self.replacing.pop(pid, None)
            if old is not None and old in self.running:
                self.retiring.add(old)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(old, signal.SIGTERM)

    def _replace_ended(self, *, replace_worker: bool) -> None:
        if self.worker is not None and replace_worker:
            ended, status = self.worker.ended()
            if ended:
                logger.error(
                    "serve: task worker %d %s; starting another", self.worker.pid, _describe(status)
                )
                self.worker.start()
        for pid in list(self.running):
            ended, status = _reap(pid)
            if not ended:
                continue
            self.running.discard(pid)
            self.forked_at.pop(pid, None)
            how = _describe(status)
            if pid in self.retiring:
                self.retiring.discard(pid)
                logger.info("serve: server process %d, replaced for its memory, %s", pid, how)
                continue
            fresh = next((new for new, old in self.replacing.items() if old == pid), None)
            if fresh is not None:  # ended while its replacement was starting
                del self.replacing[fresh]
                logger.error("serve: server process %d %s; %d takes its place", pid, how, fresh)
                continue
            if pid not in self.started:
                raise StartFailed(f"server process {pid} {how} before it served")
            logger.error("serve: server process %d %s; starting another", pid, how)
            self._fork()

    def _fork(self) -> int:
        def serve() -> int:
            os.close(self._ready_read)
            os.close(self._wakeup_read)

            def started() -> None:
                os.write(self._ready_write, _PID.pack(os.getpid()))

            return 0 if self.serve_one(self.sock, started) else 3

        pid = start_child("rostra server", serve)
        self.running.add(pid)
        self.forked_at[pid] = time.monotonic()
        return pid

    def _stop_all(self) -> None:
        for pid in self.running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while self.running and time.monotonic() < deadline:
            for pid in list(self.running):
                if _reap(pid)[0]:
                    self.running.discard(pid)
            if self.running:
                # Woken by SIGCHLD (through the wake-up pipe) or after a short wait.
                with contextlib.suppress(InterruptedError):
                    select.select([self._wakeup_read], [], [], 0.2)
                with contextlib.suppress(BlockingIOError, OSError):
                    os.read(self._wakeup_read, 64)
        for pid in self.running:
            logger.warning(
                "serve: server process %d still running after %d s, killing it",
                pid,
                STOP_GRACE_SECONDS,
            )
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.running.clear()


def _note(signum, frame) -> None:
    """Python's handler does nothing: the signal number reaches the wake-up pipe."""


def _reap(pid: int) -> tuple[bool, int]:
    try:
        ended, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True, 0
    return ended == pid, status


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"was ended by {signal.strsignal(os.WTERMSIG(status))}"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"


def _release_database_before_fork() -> None:
    """A forked process must not share the parent's database connections (or a
    PostgreSQL pool's threads): close them; each server opens its own."""
    for connection in connections.all(initialized_only=True):
        connection.close()
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()


def bind(host: str, port: int, backlog: int) -> socket.socket:
    """The listening socket every server accepts on. OSError when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
