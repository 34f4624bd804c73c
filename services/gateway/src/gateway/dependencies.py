"""What the gateway's routes depend on: its running parts and the authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gateway.authentication import Authenticator
from gateway.config import GatewaySettings
from gateway.live_counters import SnapshotHub
from gateway.problems import unauthorised
from gateway.repository import KeyRepository
from gateway.upstreams import Upstreams
from shared.http.identity import Principal, Scope
from shared.http.problems import ProblemError


@dataclass
class Gateway:
    """The gateway's parts, built in the lifespan and kept on app.state."""

    settings: GatewaySettings
    keys: KeyRepository
    authenticator: Authenticator
    upstreams: Upstreams
    hub: SnapshotHub


# async although nothing is awaited: FastAPI runs a plain def dependency in a worker thread.
async def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


async def authenticate(request: Request, gateway: GatewayDep) -> Principal:
    """The caller named by the Authorization header (public without one); 401/429 otherwise."""
    client_ip = request.client.host if request.client else "unknown"
    return await gateway.authenticator.principal(request.headers.get("authorization"), client_ip)


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
