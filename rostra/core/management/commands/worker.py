from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from rostra.core import queues, worker


class Command(BaseCommand):
    help = (
        "Run background tasks (e-mail, imports, search indexing) from the database queues, "
        "a thread per queue. Start as many as the load needs; `rostra serve` starts one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            default=",".join(queues.ALL),
            help=(
                "Comma-separated queues to serve (default: all of "
                f"{', '.join(queues.ALL)}), e.g. `--queue imports` on a machine of its own."
            ),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks ready now, then exit (for cron or a one-off catch-up).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="Name shown in the heartbeat and on claimed tasks; unique per worker "
            "(default: random).",
        )

    def handle(self, *args, queue, worker_id, batch, **options):
        names = list(dict.fromkeys(name.strip() for name in queue.split(",") if name.strip()))
        unknown = [name for name in names if name not in queues.ALL]
        if unknown or not names:
            raise CommandError(
                f"Unknown queue {', '.join(unknown) or '(none given)'}; "
                f"the queues are {', '.join(queues.ALL)}."
            )
        if len(worker_id) > 64:
            raise CommandError("--worker-id has at most 64 characters.")
        worker.run(queue_names=names, worker_id=worker_id or get_random_string(32), batch=batch)
