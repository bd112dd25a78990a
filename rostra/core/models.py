"""State shared by every process that belongs to no single app."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """When a background worker last showed it was alive (see rostra.core.heartbeat).

    One row per worker process; `/healthz?verbose` reports the newest. Rows of workers
    gone for a day are pruned (rostra.core.retention).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
