"""What every request gets: its id (shared.http.request_id), its count and latency (shared.http.request_metrics).

Pure ASGI, so that streaming responses (SSE) are not buffered; one layer, as two cost the gateway ~3 us
more per counters read (docs/performance.md).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.request_id import take_request_id
from shared.http.request_metrics import observe_request


class RequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        header = take_request_id(scope)
        status = 500  # unless a response starts: the app raised

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append(header)
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            observe_request(scope, status, started)
