"""The gateway's running parts, built once in the app's setup and kept on `app.state.context`."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.config import GatewaySettings
from gateway.handlers.authentication import Authenticator
from gateway.handlers.idempotency import IdempotentWrites
from gateway.handlers.live_counters import SnapshotHub
from gateway.handlers.webhook_dispatch import Dispatcher
from gateway.repository.keys import KeyRepository
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from gateway.routes.openapi import PublicContract
from gateway.routes.upstreams import Upstreams


@dataclass
class Webhooks:
    """Partners' webhook endpoints, their deliveries, and this instance's delivery worker."""

    endpoints: EndpointStore
    deliveries: DeliveryStore
    dispatcher: Dispatcher


@dataclass
class GatewayContext:
    """The gateway's parts, built in the lifespan and kept on app.state.context."""

    settings: GatewaySettings
    keys: KeyRepository
    authenticator: Authenticator
    upstreams: Upstreams
    hub: SnapshotHub
    webhooks: Webhooks
    idempotency: IdempotentWrites
    contract: PublicContract  # the merged OpenAPI document, refreshed in the background
