"""The events service's app factory."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from events.config import EventsSettings
from events.consumers import participants_consumer
from events.context import EventsContext
from events.messages import EventMessages
from events.repository.attendance import ATTENDANCE, MongoAttendanceStore, batch_message_of
from events.repository.events import EVENTS, MongoEventStore
from events.repository.participants import MongoParticipantStore
from events.routes import problems
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
        db, flavour = runtime.db, runtime.flavour
        messages = EventMessages(settings.topics, settings.service_name)
        relay = OutboxRelay(runtime.producer, [db[EVENTS], db[ATTENDANCE]], flavour=flavour)
        batches = BatchOutbox(runtime.producer, db, {ATTENDANCE: batch_message_of(messages)}, flavour=flavour)
        events = MongoEventStore(db, flavour, relay, hold_s=settings.event_hold_s)
        attendance = MongoAttendanceStore(db, flavour, relay, batches)
        await events.ensure_indexes()
        await attendance.ensure_indexes()
        runtime.spawn(relay.run(), "outbox-relay")
        runtime.spawn(batches.run(), "batch-outbox")
        context = EventsContext(
            settings=settings,
            events=events,
            attendance=attendance,
            participants=MongoParticipantStore(db, flavour),
            messages=messages,
            qr_key=qr_key,
        )
        consumer = participants_consumer(context, runtime.producer)
        consuming = runtime.spawn(consumer.run(), "participants-consumer")

        async def stop_consumer() -> None:
            # Let the loop leave its group cleanly rather than be cancelled mid-request.
            consumer.stop()
            await asyncio.wait([consuming], timeout=10)

        runtime.shutdown_hooks.append(stop_consumer)
        app.state.context = context

    app = create_service_app(
        settings,
        title="Programme Pulse — events",
        routers=[attendance_router, events_router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
    problems.install(app)
    return app
