"""The events app run in-process with its lifespan, and reading what it published; for any suite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase

from events.app import create_app
from events.config import EventsSettings
from events.context import EventsContext
from shared.contracts.envelope import new_event
from shared.contracts.payloads import PARTICIPANT_REGISTERED
from shared.kafka.producer import EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.batch_outbox import BATCHES
from shared.mongo.client import Document, make_mongo_client
from testkit.builders import participant


@dataclass
class EventsService:
    settings: EventsSettings
    app: FastAPI
    client: httpx.AsyncClient
    db: AsyncDatabase[Document]  # the service's database, read by tests through a client of their own

    @property
    def context(self) -> EventsContext:
        context: EventsContext = self.app.state.context
        return context

    async def settled(self, timeout_s: float = 60) -> None:
        """Wait until the outbox relays have published every pending event."""
        async with asyncio.timeout(timeout_s):
            # Polling is the point here: the database is the only place that knows.
            while (  # noqa: ASYNC110
                await self.db["events"].count_documents({"outbox_pending": True})
                + await self.db["attendance"].count_documents({"outbox_pending": True})
                + await self.db[BATCHES].count_documents({})
            ) > 0:
                await asyncio.sleep(0.2)

    async def stored_attendance(self) -> int:
        return await self.db["attendance"].count_documents({})


@asynccontextmanager
async def running(settings: EventsSettings) -> AsyncIterator[EventsService]:
    """The app with its lifespan (relay, consumer) and an in-process client."""
    app = create_app(settings)
    mongo = make_mongo_client(settings.mongo_url)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://events") as client:
                yield EventsService(settings, app, client, mongo[settings.database_name])
    finally:
        await mongo.close()


async def register(service: EventsService, participant_id: str) -> None:
    """What registration publishes for a new participant, produced onto the real topic."""
    fact = participant(participant_id)
    event = new_event(source="/registration", type=PARTICIPANT_REGISTERED, subject=participant_id, data=fact)
    # The service creates its topics in the background as it starts; on a loaded machine a test may get
    # here first, and a send to a topic not there yet fails.
    await ensure_topics(service.settings.kafka, service.settings.topics, partitions=1, replication=1)
    producer = EventProducer(service.settings.kafka, "test-registration")
    try:
        await producer.send([Outgoing(service.settings.topics.participants, participant_id, event)])
    finally:
        await producer.stop()
