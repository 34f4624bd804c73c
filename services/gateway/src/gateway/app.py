"""The gateway service's app factory: keys, limits, routing, live counters and the dashboard."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gateway.config import GatewaySettings
from gateway.consumers import follow_counters
from gateway.context import GatewayContext
from gateway.domain.rate_limit import FixedWindow
from gateway.handlers.authentication import Authenticator
from gateway.handlers.live_counters import SnapshotHub
from gateway.repository.keys import KeyRepository
from gateway.repository.request_windows import RequestWindows
from gateway.routes import counters, dashboard, keys, proxy
from gateway.routes.limits import BodyLimitMiddleware
from gateway.routes.openapi import keep_openapi_current
from gateway.routes.upstreams import Upstreams
from shared.contracts.counters import CountersSnapshot
from shared.figures_metrics import export_counters
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment

log = logging.getLogger(__name__)


async def _ensure_indexes(keys: KeyRepository, windows: RequestWindows) -> None:
    """Create indexes as soon as MongoDB answers; the gateway may start before it."""
    while True:
        try:
            await keys.ensure_indexes()
            await windows.ensure_indexes()
            return
        except Exception as exc:
            log.warning("cannot create key indexes yet (%s); retrying", exc)
            await asyncio.sleep(2)


async def _sweep_request_windows(windows: RequestWindows, interval_s: float = 60.0) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await windows.forget_expired(datetime.now(UTC))
        except Exception as exc:  # the database may be away for a while; the next sweep catches up
            log.warning("cannot sweep expired request counts (%s)", exc)


class _ExportingHub(SnapshotHub):
    """The hub that also shows the latest public counters on /metrics, for Prometheus and Grafana."""

    def publish(self, snapshot: CountersSnapshot) -> None:
        super().publish(snapshot)
        latest = self.latest(snapshot.programme_id)  # an older snapshot arriving late is not shown
        if latest is not None:
            export_counters(latest)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(GatewaySettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        keys = KeyRepository(runtime.db)
        windows = RequestWindows(runtime.db)
        upstreams = Upstreams(settings)
        runtime.shutdown_hooks.append(upstreams.close)
        hub = _ExportingHub()
        authenticator = Authenticator(
            admin_key=settings.admin_key.get_secret_value(),
            keys=keys,
            windows=windows,
            per_key=FixedWindow.of_rate(settings.rate_per_key, settings.burst_per_key),
            failures_per_address=FixedWindow.of_rate(settings.auth_failure_rate, settings.auth_failure_burst),
        )
        app.state.context = GatewayContext(settings, keys, authenticator, upstreams, hub)
        runtime.spawn(_ensure_indexes(keys, windows), "key-indexes")
        runtime.spawn(_sweep_request_windows(windows), "request-window-sweep")
        runtime.spawn(follow_counters(settings.kafka_bootstrap, settings.topics.counters, hub), "counters")
        runtime.spawn(keep_openapi_current(app, upstreams, settings.openapi_refresh_s), "openapi")

    app = create_service_app(
        settings,
        title="Programme Pulse",
        routers=[
            counters.router,  # first: dashboards poll it
            dashboard.router,
            keys.router,
            proxy.router,  # last: its catch-all must not shadow the routes above
        ],
        setup=setup,
    )
    # Inside the request-id middleware, so a refused body still gets its request id.
    app.user_middleware.append(Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes))
    # Here rather than on uvicorn's command line, so that it holds however the app is served.
    app.user_middleware.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips))
    app.mount("/static", StaticFiles(directory=dashboard.STATIC_DIR), name="static")
    return app
