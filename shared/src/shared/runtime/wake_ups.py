"""How a loop that waits for wake-ups (the outbox relays, the webhook dispatcher, metrics' coalesced
publishing) waits without losing a request to stop.

Such a loop stops when its task is cancelled. On Python 3.11 `asyncio.wait_for` drops a cancellation that
arrives as its inner future completes: it returns that result and the task carries on. So these loops do
not wait in it, and as the task still counts the request (`Task.cancelling()`), they look before each
wait and stop there, whichever library dropped it on the way (PyMongo's socket writes wait in `wait_for`).
"""

from __future__ import annotations

import asyncio
import contextlib


async def woken_within(wake: asyncio.Event, timeout_s: float | None) -> bool:
    """Whether `wake` is set within `timeout_s` (None: no bound); a cancellation always propagates, also one
    dropped before the wait began."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():  # asked to stop, and nothing took that request back
        raise asyncio.CancelledError
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            return await wake.wait()
    return False
