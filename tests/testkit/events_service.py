"""The events app run in-process with its lifespan, and reading what it published; for any suite."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from events.app import create_app
from events.config import EventsSettings
from events.context import EventsContext
from shared.contracts.envelope import new_event
from shared.contracts.payloads import PARTICIPANT_REGISTERED
from shared.kafka.producer import EventProducer, Outgoing
from shared.mongo.batch_outbox import BATCHES
from testkit.builders import participant


@dataclass
class EventsService:
    settings: EventsSettings
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def context(self) -> EventsContext:
        context: EventsContext = self.app.state.context
        return context

    async def settled(self, timeout_s: float = 60) -> None:
        """Wait until the outbox relays have published every pending event."""
        repo = self.context.repo
        async with asyncio.timeout(timeout_s):
            while (
                await repo.events.count_documents({"outbox_pending": True})
                + await repo.attendance.count_documents({"outbox_pending": True})
                + await repo.attendance.database[BATCHES].count_documents({})
            ) > 0:
                self.context.relay.wake()
                await asyncio.sleep(0.2)

    async def stored_attendance(self) -> int:
        return await self.context.repo.attendance.count_documents({})


@asynccontextmanager
async def running(settings: EventsSettings) -> AsyncIterator[EventsService]:
    """The app with its lifespan (relay, consumer) and an in-process client."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://events") as client:
            yield EventsService(settings, app, client)


async def published(bootstrap: str, topic: str, timeout_s: float = 30) -> list[dict[str, Any]]:
    """Every CloudEvent on the topic now (from the start to the end offsets), decoded, in partition order."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    events: list[dict[str, Any]] = []

    async def fetch() -> None:
        batch = await consumer.getmany(timeout_ms=200)
        events.extend(json.loads(r.value) for part in batch.values() for r in part)

    try:
        async with asyncio.timeout(timeout_s):
            while not consumer.assignment():
                await fetch()
            ends = await consumer.end_offsets(list(consumer.assignment()))
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                await fetch()
        return events
    finally:
        await consumer.stop()


async def register(service: EventsService, participant_id: str) -> None:
    """What registration publishes for a new participant, produced onto the real topic."""
    fact = participant(participant_id)
    event = new_event(source="/registration", type=PARTICIPANT_REGISTERED, subject=participant_id, data=fact)
    producer = EventProducer(service.settings.kafka, "test-registration")
    try:
        await producer.send([Outgoing(service.settings.topics.participants, participant_id, event)])
    finally:
        await producer.stop()
