"""Partners' webhook endpoints: register, list, read, change, delete, rotate secrets, follow deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from gateway.context import GatewayContext
from gateway.domain.access import Upstream
from gateway.domain.errors import (
    DeliveryInProgress,
    Forbidden,
    InvalidRequest,
    NotFound,
    TooManyWebhooks,
    UpstreamUnclear,
)
from gateway.domain.webhook_urls import url_problem
from gateway.domain.webhooks import Delivery, Endpoint, may_manage, new_endpoint_id, new_secret
from gateway.routes.dependencies import GatewayDep, PrincipalDep, require
from gateway.routes.keys import _fetch_as_admin
from gateway.routes.webhook_schemas import (
    WEBHOOK_ID,
    DeliveryDetail,
    DeliveryList,
    DeliveryRead,
    DeliveryStatus,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookRead,
    WebhookUpdate,
)
from shared.contracts.identity import Principal, Scope
from shared.http.responses import problems

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
WebhookIdPath = Annotated[str, Path(max_length=64, description="the endpoint's id", examples=[WEBHOOK_ID])]
DeliveryIdPath = Annotated[str, Path(max_length=64, description="the delivery's id")]
_WEBHOOK = {"webhook_id": "$response.body#/id"}
# Where a new endpoint leads (OpenAPI links).
_WEBHOOK_LINKS = {
    name: {"operationId": name, "parameters": _WEBHOOK}
    for name in ("getWebhook", "updateWebhook", "rotateSecret", "listDeliveries", "deleteWebhook")
}


def _owner(principal: Principal, named: str | None) -> str:
    """The partner an endpoint is registered for: a partner's own; the one an admin names."""
    if principal.scope is Scope.PARTNER:
        if named is not None and named != principal.partner_id:
            raise Forbidden("A partner registers endpoints for itself only.")
        assert principal.partner_id is not None
        return principal.partner_id
    if named is None:
        raise InvalidRequest("partner_id: an admin key must name the partner whose endpoint this is")
    return named


def _check_url(gateway: GatewayContext, url: str) -> str:
    problem = url_problem(url, gateway.settings.webhook_allowed_hosts)
    if problem:
        raise InvalidRequest(problem)
    return url


async def _endpoint(gateway: GatewayContext, principal: Principal, endpoint_id: str) -> Endpoint:
    """The endpoint, if the caller may manage it; another partner's is as good as absent."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    endpoint = await gateway.webhooks.endpoints.by_id(endpoint_id)
    if endpoint is None or not may_manage(principal, endpoint):
        raise NotFound("No such webhook.")
    return endpoint


async def _delivery(gateway: GatewayContext, endpoint: Endpoint, delivery_id: str) -> Delivery:
    delivery = await gateway.webhooks.deliveries.by_id(delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        raise NotFound("No such delivery.")
    return delivery


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    responses={
        201: {"links": _WEBHOOK_LINKS},
        **problems(403, 404, 409, 422, s409="The partner has as many endpoints as allowed."),
    },
)
async def create_webhook(
    body: WebhookCreate, request: Request, gateway: GatewayDep, principal: PrincipalDep
) -> WebhookCreated:
    """Register an endpoint for a partner's changes; its signing secret is shown here only."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    partner_id = _owner(principal, body.partner_id)
    url = _check_url(gateway, body.url)
    partner = await _fetch_as_admin(
        gateway, request, Upstream.REGISTRATION, f"/v1/partners/{partner_id}", "partner"
    )
    programme_id = partner.get("programme_id")
    if not isinstance(programme_id, str):
        raise UpstreamUnclear("The registration service did not say the partner's programme.")
    limit = gateway.settings.webhook_max_endpoints
    if await gateway.webhooks.endpoints.count(partner_id) >= limit:
        raise TooManyWebhooks(f"A partner has at most {limit} endpoints.")
    now = datetime.now(UTC)
    endpoint = Endpoint(
        id=new_endpoint_id(),
        partner_id=partner_id,
        programme_id=programme_id,
        url=url,
        event_types=tuple(body.event_types),
        description=body.description,
        enabled=True,
        secret=new_secret(),
        created_at=now,
        updated_at=now,
    )
    await gateway.webhooks.endpoints.insert(endpoint)
    return WebhookCreated(**WebhookRead.fields_of(endpoint), secret=endpoint.secret)


@router.get("", response_model=WebhookList, responses=problems(403))
async def list_webhooks(gateway: GatewayDep, principal: PrincipalDep) -> WebhookList:
    """List webhook endpoints: every one for an admin, a partner's own for a partner."""
    require(principal, Scope.ADMIN, Scope.PARTNER)
    partner_id = None if principal.scope is Scope.ADMIN else principal.partner_id
    return WebhookList(
        webhooks=[WebhookRead.of(e) for e in await gateway.webhooks.endpoints.listed(partner_id)]
    )


@router.get("/{webhook_id}", response_model=WebhookRead, responses=problems(403, 404))
async def get_webhook(webhook_id: WebhookIdPath, gateway: GatewayDep, principal: PrincipalDep) -> WebhookRead:
    """Read an endpoint (its secret is never shown again)."""
    return WebhookRead.of(await _endpoint(gateway, principal, webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookRead, responses=problems(403, 404, 422))
async def update_webhook(
    webhook_id: WebhookIdPath, body: WebhookUpdate, gateway: GatewayDep, principal: PrincipalDep
) -> WebhookRead:
    """Change an endpoint's URL, event types or description, or disable and enable it."""
    await _endpoint(gateway, principal, webhook_id)
    fields: dict[str, Any] = {"updated_at": datetime.now(UTC)}
    if body.url is not None:
        fields["url"] = _check_url(gateway, body.url)
    if body.event_types is not None:
        fields["event_types"] = body.event_types
    if "description" in body.model_fields_set:
        fields["description"] = body.description
    if body.enabled is not None:
        fields["enabled"] = body.enabled
        fields["disabled_reason"] = None if body.enabled else "disabled through the API"
    updated = await gateway.webhooks.endpoints.update(webhook_id, fields)
    if updated is None:
        raise NotFound("No such webhook.")
    if updated.enabled:
        gateway.webhooks.dispatcher.wake()  # deliveries held while it was disabled are due
    return WebhookRead.of(updated)


@router.delete("/{webhook_id}", status_code=204, responses=problems(403, 404))
async def delete_webhook(webhook_id: WebhookIdPath, gateway: GatewayDep, principal: PrincipalDep) -> Response:
    """Delete an endpoint with its deliveries; nothing more is sent to it."""
    await _endpoint(gateway, principal, webhook_id)
    await gateway.webhooks.endpoints.delete(webhook_id)
    await gateway.webhooks.deliveries.delete_endpoint(webhook_id)
    return Response(status_code=204)


@router.post("/{webhook_id}/rotate-secret", response_model=SecretRotated, responses=problems(403, 404))
async def rotate_secret(
    webhook_id: WebhookIdPath, gateway: GatewayDep, principal: PrincipalDep
) -> SecretRotated:
    """Rotate an endpoint's signing secret: the new one is shown here only; the previous one also signs
    for a grace period."""
    endpoint = await _endpoint(gateway, principal, webhook_id)
    now = datetime.now(UTC)
    until = now + timedelta(seconds=gateway.settings.webhook_secret_grace_s)
    secret = new_secret()
    fields = {
        "secret": secret,
        "previous_secret": endpoint.secret,
        "previous_until": until,
        "updated_at": now,
    }
    if await gateway.webhooks.endpoints.update(webhook_id, fields) is None:
        raise NotFound("No such webhook.")
    return SecretRotated(id=webhook_id, secret=secret, previous_secret_expires_at=until)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryList, responses=problems(403, 404, 422))
async def list_deliveries(
    webhook_id: WebhookIdPath,
    gateway: GatewayDep,
    principal: PrincipalDep,
    status: DeliveryStatus | None = None,
    before: Annotated[datetime | None, Query(description="only deliveries created before this time")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryList:
    """List an endpoint's deliveries, newest first: `status=failed` lists the dead letters."""
    endpoint = await _endpoint(gateway, principal, webhook_id)
    if before is not None and before.tzinfo is None:
        raise InvalidRequest("before: give a time with its zone")
    found = await gateway.webhooks.deliveries.listed(endpoint.id, status, before, limit)
    return DeliveryList(deliveries=[DeliveryRead.of(d) for d in found])


@router.get(
    "/{webhook_id}/deliveries/{delivery_id}", response_model=DeliveryDetail, responses=problems(403, 404)
)
async def get_delivery(
    webhook_id: WebhookIdPath, delivery_id: DeliveryIdPath, gateway: GatewayDep, principal: PrincipalDep
) -> DeliveryDetail:
    """Read a delivery with every attempt made and the CloudEvent it sends."""
    delivery = await _delivery(gateway, await _endpoint(gateway, principal, webhook_id), delivery_id)
    return DeliveryDetail.with_attempts(delivery, await gateway.webhooks.deliveries.attempts_of(delivery.id))


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryRead,
    responses=problems(403, 404, 409, s409="The delivery is being attempted; try again shortly."),
)
async def redeliver(
    webhook_id: WebhookIdPath, delivery_id: DeliveryIdPath, gateway: GatewayDep, principal: PrincipalDep
) -> DeliveryRead:
    """Send a delivery again now (a failed one gets the whole retry schedule again); the same webhook-id."""
    endpoint = await _endpoint(gateway, principal, webhook_id)
    delivery = await _delivery(gateway, endpoint, delivery_id)
    if not await gateway.webhooks.deliveries.redeliver(delivery, datetime.now(UTC)):
        raise DeliveryInProgress()
    gateway.webhooks.dispatcher.wake()
    return DeliveryRead.of(await _delivery(gateway, endpoint, delivery_id))
