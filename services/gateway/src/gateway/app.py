"""The gateway service's app factory: keys, limits, routing, live counters and the dashboard."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gateway.config import GatewaySettings
from gateway.consumers import counters_follower, webhook_consumer
from gateway.context import GatewayContext, Webhooks
from gateway.domain.rate_limit import FixedWindow
from gateway.handlers.authentication import Authenticator
from gateway.handlers.idempotency import IdempotentWrites
from gateway.handlers.key_usage import KeyUsage
from gateway.handlers.live_counters import SnapshotHub
from gateway.handlers.webhook_dispatch import Dispatcher
from gateway.handlers.webhook_intake import WebhookIntake
from gateway.repository.idempotency import IdempotencyStore
from gateway.repository.keys import KeyRepository
from gateway.repository.milestones import MilestoneStore
from gateway.repository.request_windows import RequestWindows
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from gateway.routes import counters, dashboard, door, keys, problem_pages, problems, proxy, webhooks
from gateway.routes.limits import BodyLimitMiddleware
from gateway.routes.openapi import PublicContract, keep_openapi_current
from gateway.routes.upstreams import Upstreams
from shared.contracts.counters import CountersSnapshot
from shared.figures_metrics import export_counters
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment

log = logging.getLogger(__name__)


class _Indexed(Protocol):
    async def ensure_indexes(self) -> None: ...


async def _ensure_indexes(*stores: _Indexed) -> None:
    """Create indexes as soon as MongoDB answers; the gateway may start before it."""
    while True:
        try:
            for store in stores:
                await store.ensure_indexes()
            return
        except Exception as exc:
            log.warning("cannot create key indexes yet (%s); retrying", exc)
            await asyncio.sleep(2)


class _Expiring(Protocol):
    async def forget_expired(self, now: datetime) -> int: ...


async def _sweep(store: _Expiring, what: str, interval_s: float) -> None:
    """Delete what has expired, every `interval_s`."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await store.forget_expired(datetime.now(UTC))
        except Exception as exc:  # the database may be away for a while; the next sweep catches up
            log.warning("cannot sweep expired %s (%s)", what, exc)


class _ExportingHub(SnapshotHub):
    """The hub that also shows the latest public counters on /metrics, for Prometheus and Grafana."""

    def publish(self, snapshot: CountersSnapshot) -> None:
        super().publish(snapshot)
        latest = self.latest(snapshot.programme_id)  # an older snapshot arriving late is not shown
        if latest is not None:
            export_counters(latest)


def _webhooks(settings: GatewaySettings, runtime: Runtime) -> Webhooks:
    """Webhook stores, and this instance's part of the delivery worker: the intake (a consumer group of the
    gateway's instances) and the dispatcher; both stop with the service, letting attempts in flight end."""
    endpoints, deliveries = EndpointStore(runtime.db), DeliveryStore(runtime.db, runtime.flavour)
    dispatcher = Dispatcher(settings, endpoints, deliveries)
    intake = WebhookIntake(
        endpoints=endpoints,
        deliveries=deliveries,
        milestones=MilestoneStore(runtime.db),
        milestone_step=settings.webhook_milestone_step,
        wake=dispatcher.wake,
    )
    consumer = webhook_consumer(settings, intake, runtime.producer)
    runtime.spawn(consumer.run(), "webhook-intake")
    runtime.spawn(dispatcher.run(), "webhook-dispatch")

    async def stop() -> None:
        consumer.stop()  # then cancelled with the other tasks: it ends its batch and leaves its group
        await dispatcher.stop(settings.shutdown_timeout_s / 2)

    runtime.shutdown_hooks.append(stop)
    return Webhooks(endpoints, deliveries, dispatcher)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(GatewaySettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        keys = KeyRepository(runtime.db, runtime.flavour)
        windows = RequestWindows(runtime.db)
        upstreams = Upstreams(settings)
        runtime.shutdown_hooks.append(upstreams.close)
        hub = _ExportingHub()
        per_key = FixedWindow.of_rate(settings.rate_per_key, settings.burst_per_key)
        usage = KeyUsage(keys, sync_s=settings.key_sync_s, window_now=lambda: per_key.number(time.time()))
        authenticator = Authenticator(
            admin_key=settings.admin_key.get_secret_value(),
            keys=usage,
            windows=windows,
            per_key=per_key,
            failures_per_address=FixedWindow.of_rate(settings.auth_failure_rate, settings.auth_failure_burst),
        )
        hooks = _webhooks(settings, runtime)
        replays = IdempotencyStore(runtime.db, runtime.flavour)
        writes = IdempotentWrites(
            replays,
            lease=timedelta(seconds=settings.idempotency_lease_s),
            keep=timedelta(hours=settings.idempotency_keep_hours),
        )
        contract = PublicContract()
        app.state.context = GatewayContext(
            settings, keys, authenticator, upstreams, hub, hooks, writes, contract
        )
        runtime.spawn(_ensure_indexes(keys, windows, hooks.endpoints, hooks.deliveries, replays), "indexes")
        runtime.spawn(_sweep(windows, "request counts", 60.0), "request-window-sweep")
        runtime.spawn(usage.run(), "key-usage-sync")
        runtime.spawn(_sweep(replays, "idempotency keys", 300.0), "idempotency-sweep")
        follower = counters_follower(settings, hub)
        runtime.spawn(follower.run(), "counters")
        runtime.spawn(hub.keep_alive(settings.sse_keepalive_s), "counters-stream-keep-alive")
        runtime.spawn(keep_openapi_current(app, upstreams, contract, settings.openapi_refresh_s), "openapi")

    app = create_service_app(
        settings,
        title="Programme Pulse",
        routers=[
            counters.router,  # first: dashboards poll it
            dashboard.router,
            door.router,
            keys.router,
            webhooks.router,
            problem_pages.router,
            proxy.router,  # last: its catch-all must not shadow the routes above
        ],
        setup=setup,
    )
    problems.install(app)
    # Inside the request-id middleware, so a refused body still gets its request id.
    app.user_middleware.append(Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes))
    # Here rather than on uvicorn's command line, so that it holds however the app is served.
    app.user_middleware.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips))
    app.mount("/static", StaticFiles(directory=dashboard.STATIC_DIR), name="static")
    app.mount("/door/app", StaticFiles(directory=door.APP_DIR), name="door-app")
    if not settings.door_scanner_dir.is_dir():
        log.warning("the door app's QR reader is missing at %s; run `make door`", settings.door_scanner_dir)
    return app
