"""Request size limits: the body (checked from Content-Length and while reading) and batch length."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.domain.errors import BatchTooLarge
from shared.http.problems import problem_response

_BATCH_FIELDS = ("records", "participants")


class BodyTooLarge(HTTPException):
    """Raised while reading; an HTTPException so that FastAPI's body parsing lets it through as 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes.")


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes`: up front from Content-Length, otherwise once reading passes it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            response = problem_response(
                413,
                "Content too large",
                f"The request body exceeds {self.max_bytes} bytes.",
                type_="body-too-large",
                instance=scope.get("path"),
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


def check_batch_length(path: str, body: bytes, max_items: int) -> None:
    """Refuse a `:batch` body whose list is longer than the services accept, before forwarding it."""
    if not path.endswith(":batch") or len(body) < max_items * 2:  # shorter bodies cannot hold that many
        return
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
        return  # the service answers malformed JSON with its own problem
    if not isinstance(document, dict):
        return
    for field in _BATCH_FIELDS:
        items = document.get(field)
        if isinstance(items, list) and len(items) > max_items:
            raise BatchTooLarge(f"A batch holds at most {max_items} items; this one has {len(items)}.")
