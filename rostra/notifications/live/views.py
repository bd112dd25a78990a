"""Server-Sent Events of one thread: new comments and new scores, resumable."""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.http import Http404, JsonResponse, StreamingHttpResponse

from rostra.discussion.models import Thread
from rostra.notifications.live import bus
from rostra.notifications.models import LiveEvent

HEARTBEAT_SECONDS = 15
STREAM_SECONDS = 30 * 60  # then the browser reconnects with Last-Event-ID
BATCH = 200


def _events_after(thread_id: int, last_id: int) -> list[dict]:
    rows = LiveEvent.objects.filter(thread_id=thread_id, id__gt=last_id).order_by("id")[:BATCH]
    return [
        {"id": row.id, "kind": row.kind, "comment": row.comment_id, "score": row.score}
        for row in rows
    ]


def _start_id(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        raise Http404("Bad event id.") from None


def _frame(event: dict) -> str:
    data = json.dumps({"comment": event["comment"], "score": event["score"]})
    return f"id: {event['id']}\nevent: {event['kind']}\ndata: {data}\n\n"


def _thread_id(article_id: int) -> int | None:
    return Thread.objects.filter(key=f"article:{article_id}").values_list("pk", flat=True).first()


async def stream(request, article_id: int):
    """The article's events; the thread may not exist yet when the page opens."""
    last_id = _start_id(request)
    fetch = sync_to_async(_events_after, thread_sensitive=False)
    find_thread = sync_to_async(_thread_id, thread_sensitive=False)

    async def frames():
        nonlocal last_id
        yield "retry: 2000\n\n"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_SECONDS
        thread_id = None
        while loop.time() < deadline:
            if thread_id is None:
                thread_id = await find_thread(article_id)
            events = await fetch(thread_id, last_id) if thread_id is not None else []
            for event in events:
                last_id = event["id"]
                yield _frame(event)
            if len(events) == BATCH:
                continue
            if not await bus.wait(HEARTBEAT_SECONDS):
                yield ": heartbeat\n\n"

    response = StreamingHttpResponse(frames(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def poll(request, article_id: int):
    """For browsers without EventSource: the same events as JSON."""
    thread_id = _thread_id(article_id)
    events = _events_after(thread_id, _start_id(request)) if thread_id else []
    return JsonResponse({"events": events})
