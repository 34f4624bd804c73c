"""The coalesced publishing loop stops when its task is cancelled, whenever the cancellation arrives."""

from __future__ import annotations

import asyncio

import pytest
from testkit.tasks import sleep_dropping_cancellation

from metrics.handlers.coalesced import publish_coalesced


async def test_a_loop_cancelled_as_a_change_wakes_it_stops_without_publishing() -> None:
    changed = asyncio.Event()
    published: list[float] = []

    async def publish() -> float:
        published.append(asyncio.get_running_loop().time())
        return 0.0

    loop = asyncio.create_task(publish_coalesced(changed, publish, 0.01, "test", wake_in=lambda: 60.0))
    await asyncio.sleep(0.05)  # waiting for a change now
    changed.set()
    loop.cancel()  # in the same turn: asyncio.wait_for on 3.11 returned and the loop published on
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(loop, 2)
    assert published == []


async def test_a_loop_whose_publishing_dropped_its_cancellation_stops_before_it_waits_again() -> None:
    changed = asyncio.Event()
    publishing = asyncio.Event()

    async def publish() -> float:
        publishing.set()
        await sleep_dropping_cancellation(0.2)
        return 0.0

    loop = asyncio.create_task(publish_coalesced(changed, publish, 0.01, "test", wake_in=lambda: 60.0))
    changed.set()
    await asyncio.wait_for(publishing.wait(), 1)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(loop, 2)  # not the 60 s wait for the next change
