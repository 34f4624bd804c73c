"""Server-Sent Events of a programme's counters, with one small task per stream besides the request's own.

FastAPI's streaming of an async generator runs a producer task, a keep-alive timer and a disconnect
listener per stream: 63 KiB of gateway memory per idle client. Here the hub wakes every stream at once for
its keep-alive, and one task per stream waits for the client to leave: 28 KiB (docs/performance.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fastapi.sse import KEEPALIVE_COMMENT, format_sse_event
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.consumers import SSE_CLIENTS
from gateway.handlers.live_counters import SnapshotHub, Subscription
from shared.contracts.counters import CountersSnapshot

# The event to send for a snapshot (with a `retry` field when given one), or None when the reader has it.
Render = Callable[[CountersSnapshot, int | None], bytes | None]


class SubscriptionStream(Response):
    media_type = "text/event-stream"

    def __init__(self, hub: SnapshotHub, programme_id: str, render: Render, retry_ms: int) -> None:
        # Not Response.__init__: a body would give the stream a Content-Length.
        self.status_code = 200
        self.background = None
        self.init_headers({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})  # nginx: do not buffer
        self._hub = hub
        self._programme_id = programme_id
        self._render = render
        self._retry_ms = retry_ms

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hub, render = self._hub, self._render
        # Subscribed before the latest is read, so that no snapshot published in between is missed.
        subscription = hub.subscribe(self._programme_id)
        SSE_CLIENTS.inc()
        leaving = asyncio.create_task(_close_when_client_leaves(receive, subscription))
        try:
            current = hub.latest(self._programme_id)
            first = render(current, self._retry_ms) if current is not None else None
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            body = first or format_sse_event(comment="connected", retry=self._retry_ms)
            await send({"type": "http.response.body", "body": body, "more_body": True})
            while True:
                snapshot = await subscription.next()
                if subscription.closed:
                    return
                event = KEEPALIVE_COMMENT if snapshot is None else render(snapshot, None)
                if event is not None:
                    await send({"type": "http.response.body", "body": event, "more_body": True})
        finally:
            leaving.cancel()
            hub.unsubscribe(subscription)
            SSE_CLIENTS.dec()


async def _close_when_client_leaves(receive: Receive, subscription: Subscription) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    subscription.close()
