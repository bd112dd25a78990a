"""The buses wake waiting streams from any thread (and on SQLite from other processes,
by polling), and time out otherwise."""

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async

from rostra.notifications.live.bus import POLL_SECONDS, InProcessBus, PollingBus
from rostra.notifications.models import LiveEvent


def test_a_wake_from_another_thread_ends_the_wait():
    bus = InProcessBus()

    async def scenario():
        waiting = asyncio.create_task(bus.wait(5))
        await asyncio.sleep(0)  # let the waiter register
        threading.Thread(target=bus.wake_local).start()
        return await waiting

    assert asyncio.run(scenario()) is True


def test_without_a_wake_the_wait_times_out():
    assert asyncio.run(InProcessBus().wait(0.01)) is False


def test_a_wake_while_the_reader_was_looking_ends_its_next_wait_at_once():
    """A hub reads `wakes()` before it looks at the rows; a wake-up that came while it
    was looking (an event committed after its query) ends its next wait at once instead
    of leaving the event for the 15-second heartbeat."""
    bus = InProcessBus()
    looked_at = bus.wakes()
    bus.wake_local()  # nobody waits at this moment

    async def scenario():
        loop = asyncio.get_running_loop()
        started = loop.time()
        woken = await bus.wait(5, after=looked_at)
        return woken, loop.time() - started

    woken, waited = asyncio.run(scenario())
    assert woken is True
    assert waited < 1
    assert asyncio.run(bus.wait(0.01, after=bus.wakes())) is False, "only wake-ups since"


@pytest.mark.django_db(transaction=True)  # the poller's thread sees committed rows only
def test_an_event_written_without_an_announcement_wakes_a_waiting_stream():
    """On SQLite another process (another server of `serve --workers N`, the worker, a
    command) writes LiveEvent rows this process is never told about: while a stream
    waits, the polling bus reads the highest id every POLL_SECONDS and wakes it."""
    bus = PollingBus()

    async def scenario():
        # Its first look wakes every waiter: it cannot know what they have seen.
        assert await bus.wait(10) is True
        assert await bus.wait(POLL_SECONDS * 5) is False, "no new row, no wake-up"
        waiting = asyncio.create_task(bus.wait(10))
        await asyncio.sleep(0)  # let the waiter register
        await sync_to_async(LiveEvent.objects.create)(thread_id=1, kind="comment", comment_id=1)
        loop = asyncio.get_running_loop()
        written = loop.time()
        woken = await waiting
        return woken, loop.time() - written

    woken, waited = asyncio.run(scenario())
    assert woken is True
    assert waited < 5, "well before the heartbeat"
