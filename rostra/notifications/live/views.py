"""Server-Sent Events of one thread: new comments and new scores, resumable."""

import asyncio
import contextlib
import json

from asgiref.sync import sync_to_async
from django.db.models import Exists, Max
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from rostra.discussion import selectors
from rostra.notifications.live.hub import HEARTBEAT_SECONDS, hub_for
from rostra.notifications.models import LiveEvent

STREAM_SECONDS = 30 * 60  # then the browser reconnects with Last-Event-ID
BATCH = 200


def _events_after(thread_id: int, last_id: int) -> list[dict]:
    """Events after `last_id`, while readers may see the thread: once its article is
    unpublished or made private, open streams fall silent."""
    readable = Exists(selectors.readable_threads().filter(pk=thread_id))
    rows = LiveEvent.objects.filter(readable, thread_id=thread_id, id__gt=last_id)
    rows = rows.order_by("id")[:BATCH]
    return [
        {"id": row.id, "kind": row.kind, "comment": row.comment_id, "score": row.score}
        for row in rows
    ]


def _start_id(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since") or "0"
    try:
        return min(max(0, int(raw)), selectors.MAX_ID)
    except ValueError:
        raise Http404(_("Bad event id.")) from None


def _frame(event: dict) -> str:
    data = json.dumps({"comment": event["comment"], "score": event["score"]})
    return f"id: {event['id']}\nevent: {event['kind']}\ndata: {data}\n\n"


def _article_thread(article_id: int) -> tuple[bool, int | None]:
    """Whether readers may follow the article (the discussion's access rule), and its
    thread's id once it has one."""
    article = selectors.article_for_reader(article_id)
    if article is None:
        return False, None
    thread = selectors.thread_of(article)
    return True, thread.pk if thread is not None else None


def _thread_id(article_id: int) -> int | None:
    return _article_thread(article_id)[1]


def _resume_from(thread_id: int | None, claimed: int) -> int:
    """The position to resume from: no further than the thread's last event, so a
    forged Last-Event-ID cannot move this process's hub past events still to come."""
    if not claimed:
        return 0
    latest = LiveEvent.objects.filter(thread_id=thread_id).aggregate(latest=Max("id"))["latest"]
    return min(claimed, latest or 0)


def _opening(article_id: int, claimed: int) -> int:
    readable, thread_id = _article_thread(article_id)
    if not readable:
        raise Http404(_("No such article."))
    return _resume_from(thread_id, claimed)


async def stream(request, article_id: int):
    """The article's events; the thread may not exist yet when the page opens."""
    # In the request's own thread (thread-sensitive), like a plain view: one check
    # when the stream opens; the long waits below use other threads.
    last_id = await sync_to_async(_opening)(article_id, _start_id(request))
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
    readable, thread_id = _article_thread(article_id)
    if not readable:
        raise Http404(_("No such article."))
    events = _events_after(thread_id, _start_id(request)) if thread_id else []
    return JsonResponse({"events": events})
