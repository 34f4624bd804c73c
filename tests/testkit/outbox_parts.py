"""A database, a broker and outbox entries of attendance events, for tests of the outboxes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts.envelope import new_event
from shared.contracts.payloads import ATTENDANCE_RECORDED
from shared.kafka.connection import KafkaConnection
from shared.kafka.producer import Encoded, EventProducer, Outgoing
from shared.mongo.batch_outbox import Batch
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import new_document_outbox
from shared.settings import BaseServiceSettings
from testkit.builders import attendance
from testkit.kafka_reading import read_all


@dataclass
class OutboxParts:
    settings: BaseServiceSettings
    db: AsyncDatabase[Document]
    producer: EventProducer
    flavour: MongoFlavour

    def doc(self, n: int) -> Document:
        """Document `n` holding the pending event of attendance `a<n>`."""
        return {"_id": n, **new_document_outbox([self.message(n)])}

    def message(self, n: int) -> Outgoing:
        """The event of attendance `a<n>`, bound for the attendance topic."""
        event = new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n))
        return Outgoing(self.settings.topics.attendance, f"p{n}", event)

    def batch_message(self, doc: Document, batch: Batch) -> Encoded:
        """The batch outbox's message of document `n`: the event of attendance `a<n>`."""
        n = doc["_id"]
        event = new_event(
            source="/t",
            type=ATTENDANCE_RECORDED,
            subject=f"p{n}",
            data=attendance(n),
            id=batch.event_id(doc),
            time=batch.created,
        )
        return batch.message(Outgoing(self.settings.topics.attendance, f"p{n}", event))

    async def published(self, count: int, timeout_s: float = 30) -> list[str]:
        """The attendance ids of the first `count` events on the attendance topic, in order."""
        return [event["data"]["attendance_id"] for event in await self.published_events(count, timeout_s)]

    async def published_events(self, count: int, timeout_s: float = 30) -> list[Document]:
        """The first `count` events on the attendance topic, in order."""
        records = await read_all(
            self.settings.kafka_bootstrap, self.settings.topics.attendance, count, timeout_s
        )
        return [json.loads(r.value) for r in records]


class GatedProducer(EventProducer):
    """The real producer, whose sends wait until the test opens the gate."""

    def __init__(self, kafka: KafkaConnection) -> None:
        super().__init__(kafka, "gated")
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()
        self.sent = asyncio.Event()  # a send returned: the relay has run on from it once the test wakes

    async def send_encoded(self, messages: Sequence[Encoded]) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().send_encoded(messages)
        self.sent.set()
