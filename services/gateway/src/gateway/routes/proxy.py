"""Every other public `/v1` path: checked against the caller's scope, then forwarded to its service."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.domain.access import Decision, decide, target_for
from gateway.domain.errors import Forbidden, NotAuthenticated, NotFound
from gateway.routes import idempotency
from gateway.routes.dependencies import authenticate, get_gateway, request_id_of
from gateway.routes.limits import check_batch_length
from gateway.routes.request_only_route import RequestOnlyRoute
from shared.http.problems import ProblemError

router = APIRouter(route_class=RequestOnlyRoute)
# Every method, so that one the public document does not list for a path gets its 405 and `Allow` here.
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


@router.api_route("/v1/{rest:path}", methods=_METHODS, include_in_schema=False)
async def forward(request: Request) -> Response:
    gateway = await get_gateway(request)
    path = request.url.path
    allowed = gateway.contract.operations.methods_at(path)
    if allowed is not None and request.method not in allowed:
        methods = ", ".join(sorted(allowed))
        raise ProblemError(
            405,
            "Method not allowed",
            f"{request.method} is not allowed here; use {methods}.",
            type_="method-not-allowed",
            headers={"Allow": methods},
        )
    principal = await authenticate(request, gateway)
    target = target_for(request.method, path)
    if target is None:
        raise NotFound(f"No such path: {path}")
    decision = decide(principal, target)
    if decision is Decision.UNAUTHENTICATED:
        raise NotAuthenticated("Send an API key as 'Authorization: Bearer <key>'.")
    if decision is Decision.FORBIDDEN:
        raise Forbidden()
    body = await request.body()  # bounded by BodyLimitMiddleware
    check_batch_length(path, body, gateway.settings.max_batch_items)
    send = partial(
        gateway.upstreams.forward,
        target.upstream,
        request.method,
        path,
        principal=principal,
        request_id=request_id_of(request),
        query=request.url.query,
        body=body,
        headers=request.headers,
    )
    return await idempotency.once(gateway, request, principal, body, send)
