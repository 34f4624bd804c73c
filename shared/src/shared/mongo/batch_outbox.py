"""The batch outbox: the events of a bulk insert of new documents, without writing each document twice.

With the per-document outbox (`shared.mongo.outbox`) each document is written with its events and written
again once they are published; in a bulk ingest on FerretDB that second write was most of the database's
work. Here a writer inserts its documents slice by slice, each naming its batch in `batch_id`; before each
slice it records the batch (`outbox_batches`: marked `writing`, touched, with the request's id and trace)
and the slice's document ids as one opaque blob (`outbox_batch_ids`). A stored document holds all its
event says, so the event is built from it (by the collection's `MessageOf`) with an id derived from the batch
and the document and the batch's time: built by the writer or from what is stored, it is the same event.
Once all are inserted the writer marks the batch `stored` and hands the documents it did store over to the
relay, which publishes their events and deletes the blobs and the batch, all by `_id`.

Nothing is lost wherever the process stops: the relay's scan (at start, when idle, after a failure, and
when it could not hold a hand-over) takes up batches marked `stored`, and batches untouched for
`abandoned_after_s` (their writer is gone: one slice's insert is bounded by the client's 60 s socket
timeout), and publishes the events of those of their documents that are stored under the batch. A writer
whose batch was taken up meanwhile publishes what it inserted itself. An event may be published twice,
with the same id, which consumers absorb because they are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import bson
from bson import Binary
from pymongo import DeleteOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from shared import clock
from shared.kafka.producer import Encoded, EventProducer, Outgoing, encode, naming_headers, request_headers
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import BACKLOG, BACKLOG_AGE, MAX_HANDED, PUBLISHED
from shared.mongo.relay import OutboxState, Pass, RelayLoop

log = logging.getLogger(__name__)
BATCHES, BLOBS = "outbox_batches", "outbox_batch_ids"
BATCH_FIELD = "batch_id"  # names, on each document a batch inserted, the batch that inserted it


@dataclass(frozen=True)
class Batch:
    """A bulk insert whose documents are recorded: `blobs` lists of their ids, named `<id>/<n>`."""

    id: str
    collection: str
    blobs: int
    created: datetime
    context: dict[str, str]  # Kafka headers of the request that wrote it: its id and trace

    @property
    def blob_ids(self) -> list[str]:
        return [f"{self.id}/{n}" for n in range(self.blobs)]

    def event_id(self, doc: Document) -> str:
        """The id of the event of a document this batch stored, the same whoever builds it."""
        return f"{self.id}/{doc['_id']}"

    def message(self, message: Outgoing) -> Encoded:
        """A message of this batch as the broker takes it, with the headers of the request that wrote it."""
        event = message.event
        return self.encoded(message.topic, message.key, event.id, event.type, encode(event))

    def encoded(self, topic: str, key: str, event_id: str, event_type: str, value: bytes) -> Encoded:
        """A message of this batch whose event is encoded already (`value`)."""
        headers = naming_headers(event_id, event_type)
        headers.extend((name, value.encode()) for name, value in self.context.items())
        return Encoded(topic, key.encode(), value, headers)


# The message of the event of a document a batch stored: `batch.message` of the message whose event's id is
# the batch's `event_id(doc)` and whose time is its `created`.
MessageOf = Callable[[Document, Batch], Encoded]


class BatchOutbox:
    """Records a bulk insert beside it and publishes the events of the documents it stored."""

    def __init__(
        self,
        producer: EventProducer,
        db: AsyncDatabase[Document],
        messages: Mapping[str, MessageOf],
        *,
        flavour: MongoFlavour,
        retry_interval_s: float = 1.0,
        idle_scan_interval_s: float = 30.0,
        abandoned_after_s: float = 120.0,
        max_held: int = MAX_HANDED,
    ) -> None:
        self._producer = producer
        self._flavour = flavour
        self._db = db
        self._messages = messages  # by collection name
        self._batches: AsyncCollection[Document] = db[BATCHES]
        self._blobs: AsyncCollection[Document] = db[BLOBS]
        self._loop = RelayLoop(
            "batch outbox", retry_interval_s=retry_interval_s, idle_scan_interval_s=idle_scan_interval_s
        )
        self._abandoned_after_s = abandoned_after_s
        self._max_held = max_held
        # NOT_PUBLISHED batches handed over: batch id -> (batch, the documents it stored).
        self._held: dict[str, tuple[Batch, list[Document]]] = {}
        self._held_count = 0
        self._recovering: set[str] = set()  # batches the scan is publishing: their hand-overs are dropped
        self._scan_wanted = False  # when a hand-over could not be held: read the records at the next pass
        self._oldest_found: datetime | None = None  # by a scan that has not published them yet
        # Read when scraped, under the name of the batches' collection: events held, age of the oldest.
        BACKLOG.labels(BATCHES).set_function(lambda: self._held_count)
        BACKLOG_AGE.labels(BATCHES).set_function(self._oldest_age_s)

    async def insert_many(
        self,
        collection: AsyncCollection[Document],
        batch_id: str,
        docs: Sequence[Document],
        insert_slice: Callable[[list[Document]], Awaitable[list[int]]],
    ) -> tuple[Batch, list[int]]:
        """Insert `docs` (whose `batch_id` is `batch_id`) into `collection` slice by slice, each after recording it.

        `insert_slice` inserts some of them and returns the positions it refused as duplicates. Returns the
        batch, for `stored`, and the positions refused.
        """
        context = {name: value.decode() for name, value in request_headers()}
        # In milliseconds, as MongoDB keeps it: the events' time, the same when built from the record.
        created = clock.now()
        # Documents per insert and ids per blob: FerretDB slows sharply on large inserts (shared.mongo.flavour).
        size = (await self._flavour.workarounds()).insert_slice
        batch = Batch(batch_id, collection.name, len(range(0, len(docs), size)), created, context)
        refused: list[int] = []
        for n, start in enumerate(range(0, len(docs), size)):
            part = list(docs[start : start + size])
            # Touched before each slice: a scan takes a batch up only once untouched for abandoned_after_s.
            record = {
                "collection": batch.collection,
                "blobs": n + 1,  # first: no blob is left without its batch
                "state": OutboxState.WRITING.value,
                "created": batch.created,
                "touched": datetime.now(UTC),
                "context": context,
            }
            await self._flavour.retrying(
                partial(self._batches.update_one, {"_id": batch_id}, {"$set": record}, upsert=True)
            )
            # One opaque blob: FerretDB stores and reads it far more cheaply than a thousand values.
            ids = Binary(bson.encode({"ids": [doc["_id"] for doc in part]}))
            await self._flavour.retrying(
                partial(self._blobs.insert_one, {"_id": batch.blob_ids[n], "ids": ids})
            )
            refused.extend(start + i for i in await insert_slice(part))
        return batch, refused

    async def stored(self, batch: Batch, docs: list[Document]) -> None:
        """The batch's inserts are done: publish the events of `docs`, the documents it stored, soon."""
        if not batch.blobs:
            return
        marked = await self._flavour.retrying(
            lambda: self._batches.update_one(
                {"_id": batch.id}, {"$set": {"state": OutboxState.NOT_PUBLISHED.value}}
            )
        )
        # A scan that took the batch up (its writer seemed gone) may have missed documents inserted since:
        # those events are published from here, whatever the bound (at worst twice).
        taken_up = not marked.matched_count or batch.id in self._recovering
        if not taken_up and self._held_count + len(docs) > self._max_held:  # Kafka slow or away
            self._scan_wanted = True
        else:
            self._held[batch.id] = (batch, docs)
            self._held_count += len(docs)
        self._loop.wake()

    async def run(self) -> None:
        await self._loop.run(self._pass)

    async def _pass(self, reason: Pass) -> None:
        """Publish the batches handed over; scan the records unless only woken (and not asked to scan)."""
        await self._publish_held()
        if self._scan_wanted or reason is not Pass.WOKEN:
            self._scan_wanted = False
            await self.recover()

    async def _publish_held(self) -> None:
        for batch_id in list(self._held):
            batch, docs = self._held[batch_id]
            await self._send(batch, docs)
            del self._held[batch_id]
            self._held_count -= len(docs)
            await self._delete(batch)  # a failure here only sends them again

    async def recover(self) -> int:
        """Publish the events batches of stopped or overloaded writers hold; returns how many were published."""
        abandoned = datetime.now(UTC) - timedelta(seconds=self._abandoned_after_s)
        found = await self._batches.find(
            {"$or": [{"state": OutboxState.NOT_PUBLISHED.value}, {"touched": {"$lt": abandoned}}]},
            {"collection": 1, "blobs": 1, "created": 1, "context": 1},
        ).to_list()
        self._oldest_found = min((record["created"] for record in found), default=None)
        total = 0
        for record in found:
            if record["_id"] not in self._held:  # handed over since: published from there
                batch = Batch(
                    record["_id"], record["collection"], record["blobs"], record["created"], record["context"]
                )
                total += await self._recover(batch)
        self._oldest_found = None
        return total

    async def _recover(self, batch: Batch) -> int:
        self._recovering.add(batch.id)
        try:
            published = 0
            for blob_id in batch.blob_ids:  # one at a time: each lists up to a slice of documents
                blob = await self._blobs.find_one({"_id": blob_id})
                listed = bson.decode(blob["ids"])["ids"] if blob else []
                mine_only = {BATCH_FIELD: batch.id}
                stored = await self._flavour.find_in(
                    self._db[batch.collection], "_id", listed, query=mine_only
                )
                await self._send(batch, stored)
                published += len(stored)
            await self._delete(batch)
        finally:
            self._recovering.discard(batch.id)
        return published

    async def _delete(self, batch: Batch) -> None:
        """The blobs, then the batch (a batch without blobs publishes nothing), each by `_id`."""
        await self._blobs.bulk_write([DeleteOne({"_id": blob_id}) for blob_id in batch.blob_ids])
        await self._batches.delete_one({"_id": batch.id})

    def _oldest_age_s(self) -> float:
        created = [batch.created for batch, _ in self._held.values()]
        oldest = min([*created, self._oldest_found] if self._oldest_found else created, default=None)
        return (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0

    async def _send(self, batch: Batch, docs: list[Document]) -> None:
        if docs:
            message_of = self._messages[batch.collection]
            await self._producer.send_encoded([message_of(doc, batch) for doc in docs])
            PUBLISHED.labels(batch.collection).inc(len(docs))
