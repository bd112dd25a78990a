"""`/healthz` and `/livez`: what load balancers and monitoring ask a Rostra process.

Answered by `health_check_middleware`, first in the chain, before Django validates the
Host header: probes address the machine by IP, which is not one of ALLOWED_HOSTS. The
answer holds nothing that depends on the Host, so no host check is needed for it.
"""

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.decorators import sync_and_async_middleware
from django_tasks_db.models import DBTaskResult

from rostra.core.heartbeat import last_beat

PATH = "/healthz"
# The process is up and answering, database or not: a liveness probe, and the cheapest
# answer `rostra serve` gives (`make bench`'s "hello world", which reads are compared to).
LIVE_PATH = "/livez"


def _age_seconds(moment, now) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def report() -> dict:
    """The database's answer, the worker's last heartbeat and the task backlog.
    Raises DatabaseError when the database cannot be reached."""
    _database_only()
    now = timezone.now()
    queued = DBTaskResult.objects.ready()
    return {
        "database": "ok",
        "worker_last_heartbeat_age_seconds": _age_seconds(last_beat(), now),
        "tasks_queued": queued.count(),
        "oldest_queued_task_age_seconds": _age_seconds(
            queued.order_by("enqueued_at").values_list("enqueued_at", flat=True).first(), now
        ),
    }


def healthz(request) -> HttpResponse:
    """200 "ok" when the process can reach its database, 503 when it cannot; with
    `?verbose`, the same as JSON with the worker's heartbeat and the task queue."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    verbose = "verbose" in request.GET
    try:
        health = report() if verbose else _database_only()
    except DatabaseError:
        if verbose:
            return JsonResponse({"database": "unreachable"}, status=503)
        return HttpResponse("database unreachable", status=503, content_type="text/plain")
    if verbose:
        return JsonResponse(health, headers={"Cache-Control": "no-store"})
    return HttpResponse("ok", content_type="text/plain", headers={"Cache-Control": "no-store"})


def livez(request) -> HttpResponse:
    """200 "ok" from any process that answers at all; no database, no template."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse("ok", content_type="text/plain", headers={"Cache-Control": "no-store"})


def _database_only() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@sync_and_async_middleware
def health_check_middleware(get_response):
    """Answers `/healthz` and `/livez` for any Host; every other request passes on
    unchanged."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            if request.path_info == PATH:
                return await sync_to_async(healthz)(request)
            if request.path_info == LIVE_PATH:
                return livez(request)
            return await get_response(request)

    else:

        def middleware(request):
            if request.path_info == PATH:
                return healthz(request)
            if request.path_info == LIVE_PATH:
                return livez(request)
            return get_response(request)

    return middleware
