"""The metrics service's app factory: load the facts, consume, publish snapshots, answer reads."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from metrics.config import MetricsSettings
from metrics.consumers import fact_consumer
from metrics.context import MetricsContext
from metrics.domain.disclosure import RULES, PublicReleases
from metrics.handlers.projection import Projection
from metrics.handlers.snapshots import SnapshotPublisher
from metrics.repository.segments import FactSegments
from metrics.routes import problems
from metrics.routes.programme import router
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment

log = logging.getLogger(__name__)


async def _load_until_done(projection: Projection) -> None:
    """Load the stored facts as soon as MongoDB answers; the service may start before it."""
    while True:
        try:
            await projection.load()
            return
        except Exception as exc:
            log.warning("cannot load facts yet (%s); retrying", exc)
            await asyncio.sleep(2)


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(MetricsSettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        projection = Projection(FactSegments(runtime.db), settings)
        releases = PublicReleases(RULES[settings.disclosure_rule], settings.release_schedule)
        app.state.context = MetricsContext(settings, projection, releases)
        consumer = fact_consumer(settings, projection, runtime.producer)
        publisher = SnapshotPublisher(
            projection, releases, runtime.producer, settings.topics.counters, settings.snapshot_min_interval_s
        )

        async def run() -> None:
            await _load_until_done(projection)
            runtime.spawn(publisher.run(), "counter-snapshots")
            await consumer.run()

        async def stop_consuming() -> None:
            consumer.stop()

        runtime.shutdown_hooks.append(stop_consuming)
        runtime.spawn(run(), "fact-consumer")

    app = create_service_app(
        settings,
        title="Programme Pulse — metrics",
        routers=[router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
    problems.install(app)
    return app
