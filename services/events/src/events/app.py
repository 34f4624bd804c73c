"""The events service's app factory."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from events.config import EventsSettings
from events.consumers import participants_consumer
from events.context import EventsContext
from events.messages import batch_message_of
from events.repository.stores import Repository
from events.routes.attendance import router as attendance_router
from events.routes.events import router as events_router
from shared.mongo.batch_outbox import BatchOutbox
from shared.mongo.outbox import OutboxRelay
from shared.principal_tokens import PrincipalVerifier
from shared.qr_tokens import load_public_key
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment


def create_app(settings: EventsSettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(EventsSettings)
    # Fail at start, not at the first scan, when the configured key is not a key.
    qr_key = load_public_key(settings.qr_public_key) if settings.qr_public_key else None

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        repo = Repository(runtime.db, runtime.flavour)
        await repo.ensure_indexes()
        relay = OutboxRelay(runtime.producer, [repo.events, repo.attendance], flavour=runtime.flavour)
        runtime.spawn(relay.run(), "outbox-relay")
        batches = BatchOutbox(
            runtime.producer,
            runtime.db,
            {repo.attendance.name: batch_message_of(settings)},
            flavour=runtime.flavour,
        )
        runtime.spawn(batches.run(), "batch-outbox")
        consumer = participants_consumer(settings, repo, runtime.producer, relay)
        consuming = runtime.spawn(consumer.run(), "participants-consumer")

        async def stop_consumer() -> None:
            # Let the loop leave its group cleanly rather than be cancelled mid-request.
            consumer.stop()
            await asyncio.wait([consuming], timeout=10)

        runtime.shutdown_hooks.append(stop_consumer)
        app.state.context = EventsContext(
            settings=settings, repo=repo, relay=relay, batches=batches, qr_key=qr_key
        )

    return create_service_app(
        settings,
        title="Programme Pulse — events",
        routers=[attendance_router, events_router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
