"""What the gateway's routes depend on: its running parts and the authenticated caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.context import GatewayContext
from gateway.routes.problems import unauthorised
from shared.contracts.identity import Principal, Scope
from shared.http.problems import ProblemError


# async although nothing is awaited: FastAPI runs a plain def dependency in a worker thread.
async def get_gateway(request: Request) -> GatewayContext:
    gateway: GatewayContext = request.app.state.context
    return gateway


GatewayDep = Annotated[GatewayContext, Depends(get_gateway)]


async def authenticate(request: Request, gateway: GatewayDep) -> Principal:
    """The caller named by the Authorization header (public without one); 401/429 otherwise.

    The client's address is the peer's, or what a trusted proxy says (PULSE_FORWARDED_ALLOW_IPS).
    """
    client_address = request.client.host if request.client else "unknown"
    return await gateway.authenticator.principal(request.headers.get("authorization"), client_address)


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def request_id_of(request: Request) -> str | None:
    request_id: str | None = request.scope.get("state", {}).get("request_id")
    return request_id


def require(principal: Principal, *scopes: Scope) -> None:
    """401 (with WWW-Authenticate) for the public, 403 for a key outside the given scopes."""
    if principal.scope in scopes:
        return
    if principal.scope is Scope.PUBLIC:
        raise unauthorised("Send an API key as 'Authorization: Bearer <key>'.")
    raise ProblemError(403, "Forbidden", "This key's scope does not allow this operation.", type_="forbidden")
