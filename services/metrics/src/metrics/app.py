"""The metrics service's app factory: own fact partitions, publish their partials, merge, answer reads."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import FastAPI

from metrics.config import MetricsSettings
from metrics.consumers import (
    PartitionMismatch,
    counters_reader,
    events_reader,
    fact_consumer,
    fact_partition_count,
    partials_reader,
    partners_reader,
)
from metrics.context import MetricsContext
from metrics.domain.disclosure import RULES, PublicReleases
from metrics.handlers.coalesced import publish_coalesced
from metrics.handlers.compactor import Compactor
from metrics.handlers.counters_view import CountersView
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.merger import Merger
from metrics.handlers.partial_publisher import PartialPublisher, refresh_periodically
from metrics.handlers.partitions import OwnedPartitions
from metrics.handlers.partners_feed import PartnersFeed
from metrics.repository.partition_store import PartitionStore
from metrics.routes import problems
from metrics.routes.programme import router
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment

log = logging.getLogger(__name__)
T = TypeVar("T")


async def _until_done(attempt: Callable[[], Awaitable[T]], what: str) -> T:
    """Retry as long as Kafka or MongoDB are not there yet; the service may start before them."""
    while True:
        try:
            return await attempt()
        except PartitionMismatch as exc:
            log.critical("metrics cannot count: %s", exc)
            await asyncio.sleep(30)
        except Exception as exc:
            log.warning("cannot %s yet (%s); retrying", what, exc)
            await asyncio.sleep(2)


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(MetricsSettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        producer, topics = runtime.producer, settings.topics
        store = PartitionStore(runtime.db, runtime.flavour, settings.instance_id)
        feed, view, partners = EventsFeed(), CountersView(), PartnersFeed()
        owned = OwnedPartitions(store, feed, topics, settings.instance_id)
        partials = PartialPublisher(owned, feed, producer, topics.partials)
        consumer = fact_consumer(settings, owned, feed, partials, producer)
        app.state.context = MetricsContext(settings, view)
        interval = settings.snapshot_min_interval_s

        async def run() -> None:
            partition_count = await _until_done(lambda: fact_partition_count(settings), "read the topics")
            await _until_done(store.prepare, "prepare the database")
            releases = PublicReleases(RULES[settings.disclosure_rule], settings.release_schedule)
            merger = Merger(settings, producer, view, releases, partition_count, partners)
            runtime.spawn(partners_reader(settings, partners, merger).run(), "partners")
            runtime.spawn(partials_reader(settings, merger, producer).run(), "partials")
            runtime.spawn(
                publish_coalesced(
                    merger.changed,
                    merger.publish_changes,
                    interval,
                    "counters",
                    merger.seconds_to_next_release,
                ),
                "merge",
            )
            runtime.spawn(
                publish_coalesced(owned.changed, partials.publish_due, interval, "partials"), "partials-out"
            )
            runtime.spawn(refresh_periodically(owned), "partials-refresh")
            runtime.spawn(Compactor(owned, store, settings).run(), "compaction")
            await consumer.run()

        async def stop_consuming() -> None:
            consumer.stop()

        runtime.shutdown_hooks.append(stop_consuming)
        runtime.spawn(counters_reader(settings, view).run(), "counters")
        runtime.spawn(events_reader(settings, feed, owned, producer).run(), "events")
        runtime.spawn(run(), "fact-partitions")

    app = create_service_app(
        settings,
        title="Programme Pulse — metrics",
        routers=[router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
    problems.install(app)
    return app
