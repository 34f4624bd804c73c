"""The events collection: the programme's catalogue, each change stored with its message (outbox)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
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
MAX_HELD = 10_000  # events held for check-ins; all are forgotten at once beyond it


class MongoEventStore:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        flavour: MongoFlavour,
        relay: OutboxRelay,
        *,
        hold_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.collection: AsyncCollection[Document] = db[EVENTS]
        self._flavour = flavour
        self._relay = relay
        self._hold_s = hold_s
        self._clock = clock
        self._held: dict[str, tuple[Event, float]] = {}

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

    async def for_checkin(self, event_id: str) -> Event | None:
        """The event as looked up at most `hold_s` ago: a door's check-ins cost no read of it.

        What a check-in takes from an event never changes (its partner and programme) except its
        cancellation, which is for good; so an instance that did not store a cancellation accepts
        check-ins for at most `hold_s` after it (attendance at a cancelled event does not count:
        docs/architecture.md, Counting rules). An unknown event is asked of the database every time: it
        may have just been created by another instance.
        """
        held = self._held.get(event_id)
        if held is not None and (held[0].cancelled or self._clock() - held[1] < self._hold_s):
            return held[0]
        started = self._clock()
        event = await self.get(event_id)
        if event is not None and self._hold_s > 0:
            if len(self._held) >= MAX_HELD:
                self._held.clear()
            self._held[event_id] = (event, started)
        return event

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
        self._held.pop(before.id, None)  # this instance's check-ins see the change at once
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
