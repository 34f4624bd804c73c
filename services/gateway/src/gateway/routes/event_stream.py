"""Server-Sent Events fed by a hub subscription, with one small task per stream besides the request's own.

FastAPI's streaming of an async generator runs a producer task, a keep-alive timer and a disconnect
listener per stream: 63 KiB of gateway memory per idle client. Here the hub wakes every stream at once for
its keep-alive, and one task per stream waits for the client to leave: 28 KiB (docs/performance.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fastapi.sse import KEEPALIVE_COMMENT
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.handlers.live_counters import Subscription
from shared.contracts.counters import CountersSnapshot

# The event to send for a snapshot, or None when this reader has it already.
Render = Callable[[CountersSnapshot], bytes | None]


class SubscriptionStream(Response):
    media_type = "text/event-stream"

    def __init__(
        self, first: bytes, subscription: Subscription, render: Render, ended: Callable[[], None]
    ) -> None:
        # Not Response.__init__: a body would give the stream a Content-Length.
        self.status_code = 200
        self.background = None
        self.init_headers({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})  # nginx: do not buffer
        self._first = first
        self._subscription = subscription
        self._render = render
        self._ended = ended

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        subscription = self._subscription
        leaving = asyncio.create_task(_close_when_client_leaves(receive, subscription))
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            await send({"type": "http.response.body", "body": self._first, "more_body": True})
            while True:
                snapshot = await subscription.next()
                if subscription.closed:
                    return
                body = KEEPALIVE_COMMENT if snapshot is None else self._render(snapshot)
                if body is not None:
                    await send({"type": "http.response.body", "body": body, "more_body": True})
        finally:
            leaving.cancel()
            self._ended()


async def _close_when_client_leaves(receive: Receive, subscription: Subscription) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    subscription.close()
