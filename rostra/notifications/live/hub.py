"""One reader of new events per article and process, shared by all its open streams.

Without it every stream would query the database on every wake-up: with 1,000 readers
on one article, 1,000 queries per comment. The hub queries once and hands the same
events to every stream waiting in this process.
"""

import asyncio
from collections import deque

from asgiref.sync import sync_to_async

from rostra.notifications.live import bus

HEARTBEAT_SECONDS = 15
BUFFER = 500


class ArticleHub:
    def __init__(self, article_id: int, fetch, find_thread):
        self.article_id = article_id
        self._fetch = fetch
        self._find_thread = find_thread
        self.thread_id: int | None = None
        self.latest_id = 0
        self.buffer: deque[dict] = deque(maxlen=BUFFER)
        self.changed = asyncio.Condition()
        self.listeners = 0
        self._task: asyncio.Task | None = None

    async def start(self, since: int) -> None:
        """Begin following the article from `since` (the first listener's position)."""
        self.latest_id = max(self.latest_id, since)
        if self._task is None:
            self._task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        looked = bus.wakes()
        while self.listeners > 0:
            await bus.wait(HEARTBEAT_SECONDS, after=looked)
            # Before the query: a wake-up for a row committed after it ends the next
            # wait at once.
            looked = bus.wakes()
            if self.thread_id is None:
                self.thread_id = await self._find_thread(self.article_id)
            events = []
            if self.thread_id is not None:
                events = await self._fetch(self.thread_id, self.latest_id)
            async with self.changed:
                for event in events:
                    self.buffer.append(event)
                    self.latest_id = event["id"]
                self.changed.notify_all()  # also the heartbeat tick for idle streams
        self._task = None

    def events_after(self, last_id: int) -> list[dict] | None:
        """Buffered events after `last_id`; None when the buffer may have dropped some
        (the stream then reads the database itself)."""
        if len(self.buffer) == self.buffer.maxlen and self.buffer[0]["id"] > last_id:
            return None
        return [event for event in self.buffer if event["id"] > last_id]


_hubs: dict[int, ArticleHub] = {}


def hub_for(article_id: int, fetch, find_thread) -> ArticleHub:
    hub = _hubs.get(article_id)
    if hub is None:
        hub = _hubs[article_id] = ArticleHub(
            article_id,
            sync_to_async(fetch, thread_sensitive=False),
            sync_to_async(find_thread, thread_sensitive=False),
        )
    return hub
