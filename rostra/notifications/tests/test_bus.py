"""The in-process bus wakes waiting streams from any thread, and times out otherwise."""

import asyncio
import threading

from rostra.notifications.live.bus import InProcessBus


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
