"""What every request gets: its id (shared.http.request_id), its count and latency (shared.http.request_metrics)
and its access line.

Pure ASGI, so that streaming responses (SSE) are not buffered; one layer, as two cost the gateway ~3 us
more per counters read (docs/performance.md).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.request_id import take_request_id
from shared.http.request_metrics import observe_request

ACCESS = logging.getLogger("access")
_READS = frozenset({"GET", "HEAD"})


class RequestMiddleware:
    """`reads_logged=False` writes no access line for a successful read (GET or HEAD answered below 400):
    the line was a quarter of the gateway's CPU per counters read, and /metrics counts every request."""

    def __init__(self, app: ASGIApp, reads_logged: bool = True) -> None:
        self.app = app
        self._reads_logged = reads_logged

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
            if self._reads_logged or status >= 400 or scope["method"] not in _READS:
                log_access(scope, status)


def log_access(scope: Scope, status: int) -> None:
    """The request's access line, as uvicorn writes it: `host:port - "GET /path?query HTTP/1.1" 200`."""
    client = scope.get("client")
    target = quote(scope["path"])
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("ascii", errors="replace")
    ACCESS.info(
        '%s - "%s %s HTTP/%s" %d',
        f"{client[0]}:{client[1]}" if client else "",
        scope["method"],
        target,
        scope["http_version"],
        status,
    )
