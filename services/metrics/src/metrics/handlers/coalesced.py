"""Publishing coalesced: however many changes arrive, at most one pass per interval."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from shared.runtime.wake_ups import woken_within

log = logging.getLogger(__name__)


async def publish_coalesced(
    changed: asyncio.Event,
    publish: Callable[[], Awaitable[float]],
    min_interval_s: float,
    what: str,
    wake_in: Callable[[], float | None] = lambda: None,
) -> None:
    """Wait for a change, or for as long as `wake_in` says (something falls due then); publish; rest at
    least the interval, twice the time the pass took, and what the pass asks for (`publish` returns that
    many seconds)."""
    while True:
        await woken_within(changed, wake_in())
        changed.clear()
        started = time.monotonic()
        rest = 0.0
        try:
            rest = await publish()
        except Exception:
            log.exception("could not publish %s; retrying", what)
            changed.set()
        await asyncio.sleep(max(min_interval_s, 2 * (time.monotonic() - started), rest))
