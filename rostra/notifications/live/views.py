"""Server-Sent Events of one thread: new comments and new scores, resumable."""

import asyncio
import contextlib
import json

from asgiref.sync import sync_to_async
from django.http import Http404, JsonResponse, StreamingHttpResponse

from rostra.discussion.models import Thread
from rostra.notifications.live.hub import HEARTBEAT_SECONDS, hub_for
from rostra.notifications.models import LiveEvent

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
    hub = hub_for(article_id, _events_after, _thread_id)

    async def catch_up(last):
        thread_id = await find_thread(article_id)
        while thread_id is not None:
            events = await fetch(thread_id, last)
            for event in events:
                last = event["id"]
                yield event
            if len(events) < BATCH:
                break

    async def frames():
        nonlocal last_id
        hub.listeners += 1
        try:
            await hub.start(last_id)
            caught_up = [event async for event in catch_up(last_id)]
            # The first line tells the browser (and tests) the stream is live.
            yield "retry: 2000\n\n"
            for event in caught_up:
                last_id = event["id"]
                yield _frame(event)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + STREAM_SECONDS
            while loop.time() < deadline:
                events = hub.events_after(last_id)
                if events is None:
                    events = [event async for event in catch_up(last_id)]
                if events:
                    for event in events:
                        last_id = event["id"]
                        yield _frame(event)
                    continue
                async with hub.changed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(hub.changed.wait(), HEARTBEAT_SECONDS + 5)
                if not hub.events_after(last_id):
                    yield ": heartbeat\n\n"
        finally:
            hub.listeners -= 1

    response = StreamingHttpResponse(frames(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def poll(request, article_id: int):
    """For browsers without EventSource: the same events as JSON."""
    thread_id = _thread_id(article_id)
    events = _events_after(thread_id, _start_id(request)) if thread_id else []
    return JsonResponse({"events": events})
