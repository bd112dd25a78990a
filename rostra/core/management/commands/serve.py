import contextlib
import ctypes
import signal
import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from rostra.core import request_counts
from rostra.core.access_log import uvicorn_log_config
from rostra.core.proxies import (
    TrustedProxiesGate,
    forget_untrusted_forwarding,
    parse_trusted_proxies,
)
from rostra.core.static_files import collect_static_if_changed


def _die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Ask Linux to stop the worker if `rostra serve` itself is killed."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop_worker(worker: subprocess.Popen) -> None:
    """SIGTERM: the worker finishes the tasks at hand. After WORKER_STOP_GRACE it is
    killed; what it was running is taken back by the next worker (task_recovery)."""
    worker.terminate()
    try:
        worker.wait(timeout=settings.WORKER_STOP_GRACE.total_seconds())
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying where the site is only once the port is bound: an operator
    (or a script waiting for that line) never reads "serving" from a server that failed
    to listen."""

    def __init__(self, config: uvicorn.Config, announce):
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._announce()


class Command(BaseCommand):
    help = (
        "Apply pending migrations, collect static files if they changed, then serve the site "
        "over ASGI (uvicorn) with a background task worker beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Skip migrations and static files (after `rostra upgrade`, for rolling restarts).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a task worker (run `rostra worker` elsewhere).",
        )

    def handle(self, *args, host, port, no_worker, no_migrate, verbosity, **options):
        try:
            trusted_proxies = parse_trusted_proxies(settings.TRUSTED_PROXIES)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
            collect_static_if_changed()
        worker = None
        if not no_worker:
            worker = subprocess.Popen(
                [sys.executable, "-m", "rostra", "worker"],
                preexec_fn=_die_with_parent,
            )
        try:
            forget_untrusted_forwarding()
            config = uvicorn.Config(
                TrustedProxiesGate(import_string(settings.ASGI_APPLICATION), trusted_proxies),
                host=host,
                port=port,
                lifespan="off",
                # Forwarded headers are applied by the gate, from trusted proxies only.
                proxy_headers=False,
                # Rostra speaks no WebSocket; uvicorn would log refused ones with the
                # client's address.
                ws="none",
                log_config=uvicorn_log_config(),
                log_level=settings.LOGGING["root"]["level"].lower(),
                timeout_graceful_shutdown=10,
            )
            announcement = f"Rostra is serving {settings.SITE_NAME} on http://{host}:{port}/"
            server = AnnouncingServer(config, lambda: self.stdout.write(announcement))
            request_counts.start_flushing()
            with contextlib.suppress(KeyboardInterrupt):
                server.run()
            request_counts.counter.flush()  # the last counts of a graceful stop
            if not server.started:
                raise CommandError(f"Could not serve on {host}:{port}: see the error above.")
        finally:
            if worker is not None:
                _stop_worker(worker)
