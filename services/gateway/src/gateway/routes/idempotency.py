"""The `Idempotency-Key` header of a forwarded write (docs/api.md, Retrying writes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.responses import Response

from gateway.context import GatewayContext
from gateway.domain.idempotency import InvalidKey, fingerprint, parse_key
from shared.contracts.identity import Principal
from shared.http.problems import ProblemError

HEADER = "idempotency-key"


def key_of(request: Request) -> str | None:
    """The request's Idempotency-Key, if it sent one; 400 for a value that is not one."""
    value = request.headers.get(HEADER)
    if value is None:
        return None
    try:
        return parse_key(value)
    except InvalidKey as exc:
        raise ProblemError(400, "Invalid Idempotency-Key", str(exc), type_="invalid-idempotency-key") from exc


async def once(
    gateway: GatewayContext,
    request: Request,
    principal: Principal,
    body: bytes,
    send: Callable[[], Awaitable[Response]],
) -> Response:
    """`send` run once per (caller, key) for a POST carrying an Idempotency-Key; as is otherwise."""
    key = key_of(request)
    if key is None or request.method != "POST" or principal.key_id is None:
        return await send()
    request_fingerprint = fingerprint(request.method, request.url.path, request.url.query, body)
    return await gateway.idempotency.run(
        caller=principal.key_id, key=key, fingerprint=request_fingerprint, send=send
    )
