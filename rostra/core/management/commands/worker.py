from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from rostra.core.heartbeat import start_beating
from rostra.core.tasks import schedule_pruning


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (e-mail, notifications, imports) from the database queue. "
        "Start as many as the load needs; `rostra serve` starts one by itself."
    )

    def handle(self, *args, worker_id: str, **options):
        # Rostra's own upkeep: a sign of life for /healthz and the hourly prune.
        stop_beating = start_beating(worker_id)
        try:
            schedule_pruning()
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop_beating.set()
