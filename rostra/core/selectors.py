"""Read side of core: request totals and the task backlog, for /metrics."""

from datetime import datetime

from django.db.models import Count, Min
from django_tasks_db.models import DBTaskResult

from rostra.core.models import RequestCount


def request_totals() -> dict[tuple[str, str], int]:
    """{(method, status class): requests answered by all processes}."""
    return {
        (method, status_class): count
        for method, status_class, count in RequestCount.objects.values_list(
            "method", "status_class", "count"
        )
    }


def task_backlog(now: datetime) -> dict[str, tuple[int, float]]:
    """{queue name: (tasks ready to run, seconds the oldest of them has waited)}."""
    rows = (
        DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(waiting=Count("id"), oldest=Min("enqueued_at"))
    )
    return {
        row["queue_name"]: (row["waiting"], max((now - row["oldest"]).total_seconds(), 0.0))
        for row in rows
    }
