"""Every other public `/v1` path: checked against the caller's scope, then forwarded to its service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from gateway.domain.access import Decision, decide, target_for
from gateway.domain.errors import Forbidden, NotAuthenticated, NotFound
from gateway.routes.dependencies import authenticate, get_gateway, request_id_of
from gateway.routes.limits import check_batch_length
from gateway.routes.request_only_route import RequestOnlyRoute

router = APIRouter(route_class=RequestOnlyRoute)
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_route("/v1/{rest:path}", methods=_METHODS, include_in_schema=False)
async def forward(request: Request) -> Response:
    gateway = await get_gateway(request)
    principal = await authenticate(request, gateway)
    path = request.url.path
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
    return await gateway.upstreams.forward(
        target.upstream,
        request.method,
        path,
        principal=principal,
        request_id=request_id_of(request),
        query=request.url.query,
        body=body,
        headers=request.headers,
    )
