"""How the outbox relays wait for a wake-up: a cancellation is never lost, whatever else happens."""

from __future__ import annotations

import asyncio

import pytest

from shared.mongo.outbox import woken_within


async def test_a_wake_up_within_the_time_is_seen_and_none_times_out() -> None:
    wake = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, wake.set)
    assert await woken_within(wake, 5)
    assert not await woken_within(asyncio.Event(), 0.05)


async def test_a_waiter_cancelled_as_it_is_woken_stops() -> None:
    wake = asyncio.Event()
    waiter = asyncio.create_task(woken_within(wake, 60))
    await asyncio.sleep(0)  # waiting now
    wake.set()
    waiter.cancel()  # in the same turn of the loop: asyncio.wait_for on 3.11 returned True and lost it
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiter, 1)
