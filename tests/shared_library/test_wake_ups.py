"""How the background loops wait: each relay pass at its reason (start, wake-up, due, idle, retry), and a
cancellation never lost, even one a library dropped on its way."""

from __future__ import annotations

import asyncio

import pytest
from testkit.tasks import sleep_dropping_cancellation

from shared.mongo.relay import Pass, RelayLoop
from shared.runtime.wake_ups import woken_within


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


async def test_the_relay_loop_passes_at_start_on_wake_ups_when_due_idle_and_after_a_failure() -> None:
    loop = RelayLoop("test", retry_interval_s=0.01, idle_scan_interval_s=0.2)
    reasons: list[Pass] = []
    due_in = [float("inf")]

    async def one_pass(reason: Pass) -> None:
        reasons.append(reason)
        if len(reasons) == 1:
            raise ConnectionError("broker away")  # logged, and the next pass is a retry
        if reason is Pass.RETRY:
            due_in[0] = 0.01  # the outbox wants a pass soon (a clear falls due)
        elif reason is Pass.DUE:
            due_in[0] = float("inf")
            loop.wake()
        elif reason is Pass.IDLE:
            loop.stop()

    await asyncio.wait_for(loop.run(one_pass, lambda: due_in[0]), 5)
    assert reasons == [Pass.START, Pass.RETRY, Pass.DUE, Pass.WOKEN, Pass.IDLE]


async def test_a_stopped_relay_loop_ends_at_once_while_it_waits() -> None:
    loop = RelayLoop("test", retry_interval_s=60, idle_scan_interval_s=60)
    passes: list[Pass] = []

    async def one_pass(reason: Pass) -> None:
        passes.append(reason)

    running = asyncio.create_task(loop.run(one_pass))
    await asyncio.sleep(0.05)  # waiting for its idle scan now
    loop.stop()
    await asyncio.wait_for(running, 1)
    assert passes == [Pass.START]


async def test_a_relay_loop_whose_pass_dropped_its_cancellation_stops_at_its_next_wait() -> None:
    loop = RelayLoop("test", retry_interval_s=60, idle_scan_interval_s=60)
    passes: list[Pass] = []
    in_pass = asyncio.Event()

    async def one_pass(reason: Pass) -> None:
        passes.append(reason)
        in_pass.set()
        await sleep_dropping_cancellation(0.2)

    running = asyncio.create_task(loop.run(one_pass))
    await asyncio.wait_for(in_pass.wait(), 1)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(running, 2)  # not the 60 s idle wait
    assert passes == [Pass.START]
