"""State shared by every process that belongs to no single app."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """When a background worker last showed it was alive (see rostra.core.heartbeat).

    One row per worker process; `/healthz?verbose` reports the newest. Rows of workers
    gone for a day are pruned (rostra.core.retention).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    # The machine it runs on: workers on several machines sharing one SQLite file is a
    # mistake `check --deploy` reports (rostra.core.checks).
    host = models.CharField(max_length=255, blank=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"


class RequestCount(models.Model):
    """HTTP requests answered by every `serve` process together, by method and status
    class (2xx …): the `rostra_http_requests_total` counter of /metrics.

    Each process counts in memory and adds its counts here every few seconds with an
    atomic `count = count + n` (rostra.core.request_counts), so totals are right
    whichever process Prometheus asks. A few dozen rows at most; never pruned.
    """

    method = models.CharField(max_length=10)
    status_class = models.CharField(max_length=3)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["method", "status_class"], name="one_request_count_per_label"
            )
        ]

    def __str__(self):
        return f"{self.method} {self.status_class}: {self.count}"


class EmailDelivery(models.Model):
    """One e-mail for one purpose to one recipient: the ledger that lets a task run
    again (its worker died, it was taken back) without sending anything twice.

    `key` names the purpose ("comment:42", "receipt:7", ...). The row is claimed by a
    sender (`owner`: the task run's id) before sending and stamped `sent_at` right after
    the mail server accepted the message; see rostra.core.email.send_email_once.
    """

    key = models.CharField(max_length=100)
    recipient = models.CharField(max_length=254)
    owner = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="one_email_per_recipient")
        ]

    def __str__(self):
        state = "sent" if self.sent_at else "being sent"
        return f"{self.key} to {self.recipient}: {state}"
