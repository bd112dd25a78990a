import argparse
import contextlib
import signal

import uvicorn
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from rostra.core import malloc, queues, request_counts, worker
from rostra.core.access_log import uvicorn_log_config
from rostra.core.preload import load_shared, warm_up
from rostra.core.proxies import (
    TrustedProxiesGate,
    forget_untrusted_forwarding,
    parse_trusted_proxies,
)
from rostra.core.server_processes import (
    RECYCLE_ABOVE_MB_BY_DEFAULT,
    ForkedWorker,
    ServerProcesses,
    StartFailed,
    bind,
    default_count,
    freeze_before_fork,
    run_in_child,
)
from rostra.core.static_files import collect_static_if_changed


def _migrate(verbosity: int) -> None:
    call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
    collect_static_if_changed()


def _read_static_manifest() -> None:
    """Static files were collected in the migrating child: read the manifest it wrote
    (the storage read the one before when Django started)."""
    load_manifest = getattr(staticfiles_storage, "load_manifest", None)
    if load_manifest is not None:
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = load_manifest()


def _run_worker() -> None:
    # Blocked in every thread before the first starts: see worker.run.
    signal.pthread_sigmask(signal.SIG_BLOCK, worker.STOP_SIGNALS)
    malloc.start_trimming()
    worker.run(queue_names=list(queues.ALL), worker_id=get_random_string(32))


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


def _serve(config: uvicorn.Config, announce, sockets=None) -> bool:
    """Run one uvicorn server until a stop signal; whether it ever served.

    SIGTERM ends it like SIGINT: uvicorn finishes the open requests, then this returns
    (uvicorn raises the signal again once it is done; under the default handler that
    would end the process before it flushed its counts and stopped its worker)."""
    server = AnnouncingServer(config, announce)
    request_counts.start_flushing()
    malloc.start_trimming()
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=sockets)
    finally:
        signal.signal(signal.SIGTERM, previous)
    request_counts.counter.flush()  # the last counts of a graceful stop
    return server.started


def _megabytes(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"a whole number of megabytes, not {value!r}")
    return int(value)


def _workers(value: str) -> int:
    count = int(value) if value.isdigit() else 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"a number of processes of at least 1, not {value!r}")
    return count


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
        parser.add_argument(
            "--workers",
            type=_workers,
            default=default_count(),
            help=(
                "Server processes sharing the port (default: one per core, at most 4; "
                "1 serves from this process). The task worker stays one."
            ),
        )
        parser.add_argument(
            "--recycle-above",
            type=_megabytes,
            default=RECYCLE_ABOVE_MB_BY_DEFAULT,
            metavar="MB",
            help=(
                "Replace a server process whose own memory grew past MB megabytes with a "
                f"fresh one (default: {RECYCLE_ABOVE_MB_BY_DEFAULT}; 0: never). With "
                "several server processes only."
            ),
        )

    def handle(
        self, *args, host, port, workers, recycle_above, no_worker, no_migrate, verbosity, **options
    ):
        try:
            trusted_proxies = parse_trusted_proxies(settings.TRUSTED_PROXIES)
        except ValueError as error:
            raise CommandError(str(error)) from None
        malloc.tune()  # before any thread starts, for every process forked below
        if not no_migrate:
            # In a child: what migrating loads is not kept in the memory the servers share.
            if run_in_child("rostra migrate", lambda: _migrate(verbosity)) != 0:
                raise CommandError("Could not migrate the database: see the error above.")
            _read_static_manifest()
        application = import_string(settings.ASGI_APPLICATION)
        load_shared()
        warm_up()
        forget_untrusted_forwarding()
        task_worker = None
        if not no_worker:
            # Forked from what is loaded now, before any server (see server_processes).
            task_worker = ForkedWorker(_run_worker, settings.WORKER_STOP_GRACE.total_seconds())
            freeze_before_fork()
            task_worker.start()
        try:
            config = uvicorn.Config(
                TrustedProxiesGate(application, trusted_proxies),
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

            def announce():
                self.stdout.write(announcement)

            if workers == 1:
                started = _serve(config, announce)
            else:
                started = self._serve_in_processes(
                    config, workers, announce, task_worker, recycle_above_bytes=recycle_above << 20
                )
            if not started:
                raise CommandError(f"Could not serve on {host}:{port}: see the error above.")
        finally:
            if task_worker is not None:
                task_worker.stop()

    def _serve_in_processes(
        self,
        config: uvicorn.Config,
        count: int,
        announce,
        task_worker: ForkedWorker | None,
        *,
        recycle_above_bytes: int,
    ) -> bool:
        try:
            sock = bind(config.host, config.port, config.backlog)
        except OSError as error:
            raise CommandError(
                f"Could not serve on {config.host}:{config.port}: {error.strerror.lower()}"
            ) from None
        config.load()  # uvicorn's protocol modules, once for every server
        processes = ServerProcesses(
            count=count,
            sock=sock,
            serve_one=lambda sock, started: _serve(config, started, sockets=[sock]),
            worker=task_worker,
            recycle_above_bytes=recycle_above_bytes,
        )
        try:
            processes.run(announce)
        except StartFailed as failure:
            raise CommandError(f"Could not serve: {failure}; see the error above.") from None
        finally:
            sock.close()
        return True
