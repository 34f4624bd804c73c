"""Issue, list and revoke API keys (partner keys, door-device check-in keys)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from gateway.domain.access import Upstream
from gateway.domain.errors import InvalidRequest, NotFound, UpstreamUnclear
from gateway.domain.keys import checkin_expiry_error, checkin_key, may_manage, partner_key
from gateway.routes.dependencies import GatewayDep, PrincipalDep, request_id_of, require
from gateway.routes.schemas import CheckinKeyCreate, KeyCreated, KeyList, KeyRead, PartnerKeyCreate
from shared.contracts.identity import Principal, Scope

router = APIRouter(prefix="/v1", tags=["keys"])
_ADMIN = Principal(scope=Scope.ADMIN, key_id="gateway")


async def _fetch_as_admin(
    gateway: GatewayDep, request: Request, upstream: Upstream, path: str, what: str
) -> dict[str, Any]:
    """GET a resource from a service with the gateway's own admin identity; 404 when it has none."""
    response = await gateway.upstreams.send(
        upstream, "GET", path, principal=_ADMIN, request_id=request_id_of(request)
    )
    if response.status_code == 404:
        raise NotFound(f"No such {what}.")
    if response.status_code != 200:
        raise UpstreamUnclear(f"The {upstream} service answered {response.status_code}.")
    document: dict[str, Any] = response.json()
    return document


@router.post("/partners/{partner_id}/keys", status_code=201, response_model=KeyCreated)
async def create_partner_key(
    partner_id: str,
    request: Request,
    gateway: GatewayDep,
    principal: PrincipalDep,
    body: PartnerKeyCreate | None = None,
) -> KeyCreated:
    """Create a key acting for one partner (admin only); the secret is shown once."""
    require(principal, Scope.ADMIN)
    await _fetch_as_admin(gateway, request, Upstream.REGISTRATION, f"/v1/partners/{partner_id}", "partner")
    key, secret = partner_key(partner_id, datetime.now(UTC), body.label if body else None)
    await gateway.keys.insert(key)
    return KeyCreated(id=key.id, key=secret, scopes=[key.scope], partner_id=partner_id, label=key.label)


@router.post("/events/{event_id}/checkin-keys", status_code=201, response_model=KeyCreated)
async def create_checkin_key(
    event_id: str, body: CheckinKeyCreate, request: Request, gateway: GatewayDep, principal: PrincipalDep
) -> KeyCreated:
    """Create a key that may only check people in to this event, until it expires."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    now = datetime.now(UTC)
    error = checkin_expiry_error(body.expires_at, now, gateway.settings.checkin_key_max_days)
    if error:
        raise InvalidRequest(error)
    event = await _fetch_as_admin(gateway, request, Upstream.EVENTS, f"/v1/events/{event_id}", "event")
    owner = event.get("partner_id")
    if not isinstance(owner, str):
        raise UpstreamUnclear("The events service did not say who owns the event.")
    if principal.scope is Scope.PARTNER and principal.partner_id != owner:
        raise NotFound("No such event.")  # another partner's event is as good as absent (no existence leak)
    key, secret = checkin_key(event_id, owner, body.expires_at, now, body.label)
    await gateway.keys.insert(key)
    return KeyCreated(
        id=key.id,
        key=secret,
        scopes=[key.scope],
        partner_id=owner,
        event_id=event_id,
        expires_at=key.expires_at,
        label=key.label,
    )


@router.get("/keys", response_model=KeyList)
async def list_keys(gateway: GatewayDep, principal: PrincipalDep) -> KeyList:
    """All keys for an admin; a partner's own keys and its events' check-in keys for a partner."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    partner_id = None if principal.scope is Scope.ADMIN else principal.partner_id
    return KeyList(keys=[KeyRead.of(key) for key in await gateway.keys.listed(partner_id)])


@router.delete("/keys/{key_id}", status_code=204)
async def revoke_key(key_id: str, gateway: GatewayDep, principal: PrincipalDep) -> Response:
    """Revoke a key at once; revoking twice is harmless."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    key = await gateway.keys.by_id(key_id)
    if key is None or not may_manage(principal, key):
        raise NotFound("No such key.")
    await gateway.keys.revoke(key_id, datetime.now(UTC))
    gateway.authenticator.forget_key(key_id)  # the other replicas within their key sync bound
    return Response(status_code=204)
