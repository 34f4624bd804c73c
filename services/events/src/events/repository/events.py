"""The events collection: the programme's catalogue, each change stored with its message (outbox)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from events.domain.catalogue import EventQuery
from events.domain.events import Event
from events.repository.documents import event_document, event_fields, event_from
from shared.kafka.producer import Outgoing
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import NO_OUTBOX, OutboxRelay, ensure_outbox_index, new_document_outbox, push_outbox

EVENTS = "events"


class MongoEventStore:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour, relay: OutboxRelay) -> None:
        self.collection: AsyncCollection[Document] = db[EVENTS]
        self._flavour = flavour
        self._relay = relay

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(
            [("programme_id", ASCENDING), ("starts_at", ASCENDING), ("_id", ASCENDING)]
        )
        await ensure_outbox_index(self.collection)

    async def insert(self, event: Event, message: Outgoing) -> None:
        doc = {**event_document(event), **new_document_outbox([message])}
        await self._flavour.retrying(lambda: self.collection.insert_one(doc))
        self._relay.wake(self.collection)

    async def get(self, event_id: str) -> Event | None:
        doc = await self.collection.find_one({"_id": event_id}, NO_OUTBOX)
        return None if doc is None else event_from(doc)

    async def by_ids(self, event_ids: Iterable[str]) -> dict[str, Event]:
        docs = await self._flavour.find_in(self.collection, "_id", event_ids, NO_OUTBOX)
        return {doc["_id"]: event_from(doc) for doc in docs}

    async def update(self, before: Event, after: Event, message: Outgoing) -> bool:
        update = push_outbox([message])
        update["$set"] = {**update["$set"], **event_fields(after)}
        query = {"_id": before.id, "version": before.version}
        result = await self._flavour.retrying(lambda: self.collection.update_one(query, update))
        if result.modified_count != 1:
            return False
        self._relay.wake(self.collection)
        return True

    async def page(self, query: EventQuery, limit: int) -> list[Event]:
        found: dict[str, Any] = {"programme_id": query.programme_id}
        for name, value in (("kind", query.kind), ("partner_id", query.partner_id), ("nation", query.nation)):
            if value is not None:
                found[name] = str(value)
        window = {
            op: moment
            for op, moment in (("$gte", query.starts_from), ("$lt", query.starts_before))
            if moment is not None
        }
        if window:
            found["starts_at"] = window
        if query.after is not None:
            starts_at, event_id = query.after
            found["$or"] = [
                {"starts_at": {"$gt": starts_at}},
                {"starts_at": starts_at, "_id": {"$gt": event_id}},
            ]
        order = [("starts_at", ASCENDING), ("_id", ASCENDING)]
        docs = await self.collection.find(found, NO_OUTBOX).sort(order).limit(limit).to_list()
        return [event_from(doc) for doc in docs]
