"""`/metrics`: Prometheus's text format, for the operator's monitoring, behind a token.

Answered by `metrics_middleware`, first in the chain, for any Host (Prometheus scrapes a
machine by its address) and before Django's other middleware; the same middleware
counts every request the process answers (rostra.core.request_counts).

Without ROSTRA_METRICS_TOKEN the path answers 404. Otherwise the scraper sends
`Authorization: Bearer <token>`; anything else is 401. Everything shown comes from the
database, shared by all processes, in one query per family: asking any process gives
the same numbers. The apps add their own families through the `rostra_metrics` hook
(rostra.core.app_hooks).

Written by hand rather than with prometheus-client: the format is a few lines of text,
and the client's own registry keeps per-process state, which is the wrong source for
counts that must add up across processes and machines.
"""

import hmac
from collections.abc import Iterable
from decimal import Decimal

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.decorators import sync_and_async_middleware

from rostra.core import selectors
from rostra.core.app_hooks import registered
from rostra.core.heartbeat import last_beat
from rostra.core.request_counts import counter

PATH = "/metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def family(name: str, kind: str, help_text: str, samples: Iterable[tuple[dict, object]]):
    yield f"# HELP {name} {help_text}"
    yield f"# TYPE {name} {kind}"
    for sample_labels, value in samples:
        label_text = ",".join(f'{k}="{_escape(str(v))}"' for k, v in sample_labels.items())
        sample = f"{name}{{{label_text}}}" if label_text else name
        yield f"{sample} {_number(value)}"


def exposition() -> str:
    """Every metric, in Prometheus's text format (version 0.0.4)."""
    now = timezone.now()
    backlog = selectors.task_backlog(now)
    beat = last_beat()
    lines = [
        *family(
            "rostra_http_requests_total",
            "counter",
            "HTTP requests answered by all processes, by method and status class.",
            (
                ({"method": method, "status": status_class}, count)
                for (method, status_class), count in sorted(selectors.request_totals().items())
            ),
        ),
        # The apps' own families (discussion: comments, votes; funding: gifts).
        *(line for families in registered("rostra_metrics") for line in families()),
        *family(
            "rostra_tasks_queued",
            "gauge",
            "Background tasks ready to run and not yet taken by a worker, by queue.",
            (({"queue": q}, waiting) for q, (waiting, _age) in sorted(backlog.items())),
        ),
        *family(
            "rostra_task_oldest_queued_age_seconds",
            "gauge",
            "Seconds the oldest task ready to run has waited, by queue.",
            (({"queue": q}, round(age, 1)) for q, (_n, age) in sorted(backlog.items())),
        ),
        *family(
            "rostra_worker_last_heartbeat_age_seconds",
            "gauge",
            "Seconds since a task worker was last seen (absent when none ever ran).",
            [] if beat is None else [({}, round((now - beat).total_seconds(), 1))],
        ),
    ]
    return "\n".join(lines) + "\n"


def authorized(request) -> bool:
    """Whether the request carries the configured token, compared in constant time."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    presented = credentials.strip() if scheme.lower() == "bearer" else ""
    return hmac.compare_digest(presented.encode(), settings.METRICS_TOKEN.encode())


def metrics(request) -> HttpResponse:
    if not settings.METRICS_TOKEN:
        return HttpResponse("not found", status=404, content_type="text/plain")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not authorized(request):
        return HttpResponse(
            "a valid token is needed: Authorization: Bearer <ROSTRA_METRICS_TOKEN>",
            status=401,
            content_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    counter.flush()  # this process's latest counts, so its own answer is up to date
    return HttpResponse(
        exposition(), content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
    )


@sync_and_async_middleware
def metrics_middleware(get_response):
    """Counts every response; answers `/metrics` for any Host."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            if request.path_info == PATH:
                response = await sync_to_async(metrics)(request)
            else:
                response = await get_response(request)
            counter.count(request.method, response.status_code)
            return response

    else:

        def middleware(request):
            response = metrics(request) if request.path_info == PATH else get_response(request)
            counter.count(request.method, response.status_code)
            return response

    return middleware
