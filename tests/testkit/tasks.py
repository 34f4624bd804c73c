"""Ending the background tasks a test started, within a bound; and a step that drops a cancellation."""

from __future__ import annotations

import asyncio
import contextlib

END_TIMEOUT_S = 15.0


async def cancel_and_wait(*tasks: asyncio.Task[object], timeout_s: float = END_TIMEOUT_S) -> None:
    """Cancel `tasks` and wait for them to end; one that does not (it lost its cancellation) fails the
    test at the bound instead of hanging it."""
    for task in tasks:
        task.cancel()
    async with asyncio.timeout(timeout_s):
        await asyncio.gather(*tasks, return_exceptions=True)


async def sleep_dropping_cancellation(seconds: float) -> None:
    """Sleep, and drop a cancellation that arrives meanwhile, as `asyncio.wait_for` on Python 3.11 does when
    its future completes in the same turn (PyMongo's socket writes wait in it)."""
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(seconds)
