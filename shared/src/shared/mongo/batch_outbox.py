"""The batch outbox: the events of a bulk insert of new documents, without writing each document twice.

With the per-document outbox (`shared.mongo.outbox`) each document is written with its events and written
again once they are published; in a bulk ingest on FerretDB that second write was most of the database's
work. Here a writer first stores its events as *intents*, one per slice of documents, each holding the
slice's encoded events in one opaque blob and marked `writing`; then inserts the documents, each naming
its batch in `batch_id`; then marks the batch's intents `stored` and hands the events of the documents it
did store over to the relay, which publishes them and deletes the intents.

Nothing is lost wherever the process stops: the relay's scan (at start, when idle, after a failure, and
when it could not hold a hand-over) takes up intents marked `stored`, and intents still `writing` after
`abandoned_after_s` (their writer is gone), and publishes the events of those of their documents that are
stored under their batch. An event may be published twice (a relay stopped between sending and deleting),
which consumers absorb because they are idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import bson
from bson import Binary
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from shared.kafka.producer import EventProducer
from shared.mongo.client import Document, retrying
from shared.mongo.outbox import MAX_HANDED, PUBLISHED, encoded

log = logging.getLogger(__name__)
INTENT_SLICE = 1000  # events per intent: its blob stays well under MongoDB's 16 MB document limit
SCAN_PAGE = 20
WRITING, STORED = "writing", "stored"
BATCH_FIELD = "batch_id"  # names, on each document a batch inserted, the batch that inserted it


async def ensure_intents_index(intents: AsyncCollection[Document]) -> None:
    """Writers and the relay find a batch's intents by `batch` without reading every intent's blob."""
    await intents.create_index([("batch", ASCENDING)])


class BatchOutbox:
    """Stores a bulk insert's events beside it and publishes those of the documents it stored."""

    def __init__(
        self,
        producer: EventProducer,
        intents: AsyncCollection[Document],
        *,
        retry_interval_s: float = 1.0,
        idle_scan_interval_s: float = 30.0,
        abandoned_after_s: float = 120.0,
        max_held: int = MAX_HANDED,
    ) -> None:
        self._producer = producer
        self._intents = intents
        self._retry_interval_s = retry_interval_s
        self._idle_scan_interval_s = idle_scan_interval_s
        self._abandoned_after_s = abandoned_after_s
        self._max_held = max_held
        self._held: dict[str, tuple[str, list[Document]]] = {}  # batch -> (collection, events to publish)
        self._held_count = 0
        self._recovering: set[str] = set()  # batches the scan is publishing: their hand-overs are dropped
        self._scan_wanted = True  # at start: intents a stopped process left behind
        self._wake = asyncio.Event()

    async def prepare(
        self, collection: AsyncCollection[Document], batch_id: str, entries: Sequence[tuple[Any, Document]]
    ) -> None:
        """Store the events of documents about to be inserted into `collection` by `batch_id`.

        `entries` pairs each document's `_id` with its outbox entry (`shared.mongo.outbox.outbox_entry`).
        """
        now = datetime.now(UTC)
        intents = [
            {
                "_id": f"{batch_id}/{start}",
                "batch": batch_id,
                "collection": collection.name,
                "state": WRITING,
                "created": now,
                # One opaque blob: FerretDB stores and reads it far more cheaply than a thousand sub-documents.
                "events": Binary(
                    bson.encode(
                        {"entries": [{"doc_id": i, **e} for i, e in entries[start : start + INTENT_SLICE]]}
                    )
                ),
            }
            for start in range(0, len(entries), INTENT_SLICE)
        ]
        if intents:
            await retrying(lambda: self._intents.insert_many(intents))

    async def stored(
        self, collection: AsyncCollection[Document], batch_id: str, entries: list[Document]
    ) -> None:
        """The batch's inserts are done: publish `entries`, the events of the documents it stored, soon."""
        await retrying(lambda: self._intents.update_many({"batch": batch_id}, {"$set": {"state": STORED}}))
        if batch_id in self._recovering:
            return
        if self._held_count + len(entries) > self._max_held:  # Kafka slow or away: left to the scan
            self._scan_wanted = True
        else:
            self._held[batch_id] = (collection.name, entries)
            self._held_count += len(entries)
        self._wake.set()

    async def run(self) -> None:
        while True:
            failed = False
            try:
                await self._publish_held()
                if self._scan_wanted:
                    self._scan_wanted = False
                    await self.recover()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or MongoDB away: the intents stay for the next pass
                log.warning("batch outbox pass failed, will retry: %s", exc)
                failed = True
            await self._next_pass(failed)

    async def _next_pass(self, failed: bool) -> None:
        woken = False
        with contextlib.suppress(TimeoutError):
            wait_s = self._retry_interval_s if failed else self._idle_scan_interval_s
            woken = await asyncio.wait_for(self._wake.wait(), timeout=wait_s)
        self._wake.clear()
        if failed or not woken:
            self._scan_wanted = True

    async def _publish_held(self) -> None:
        for batch_id in list(self._held):
            name, entries = self._held[batch_id]
            await self._send(name, entries)
            del self._held[batch_id]
            self._held_count -= len(entries)
            await self._intents.delete_many({"batch": batch_id})  # a failure here only sends them again

    async def recover(self) -> int:
        """Publish what intents left by a stopped or overloaded writer hold; returns how many were published."""
        total = 0
        while True:
            abandoned = datetime.now(UTC) - timedelta(seconds=self._abandoned_after_s)
            page = await self._intents.find(
                {
                    "batch": {"$nin": list(self._held)},
                    "$or": [{"state": STORED}, {"created": {"$lt": abandoned}}],
                },
                limit=SCAN_PAGE,
            ).to_list()
            for intent in page:
                if intent["batch"] not in self._held:  # handed over while this page was read
                    total += await self._recover(intent)
            if len(page) < SCAN_PAGE:
                return total

    async def _recover(self, intent: Document) -> int:
        batch_id = intent["batch"]
        self._recovering.add(batch_id)
        try:
            entries = bson.decode(intent["events"])["entries"]
            collection = self._intents.database[intent["collection"]]
            stored = await collection.find(
                {"_id": {"$in": [e["doc_id"] for e in entries]}, BATCH_FIELD: batch_id}, {"_id": 1}
            ).to_list()
            ids = {doc["_id"] for doc in stored}
            published = [e for e in entries if e["doc_id"] in ids]
            await self._send(intent["collection"], published)
            await self._intents.delete_one({"_id": intent["_id"]})
        finally:
            self._recovering.discard(batch_id)
        return len(published)

    async def _send(self, collection: str, entries: list[Document]) -> None:
        if entries:
            await self._producer.send_encoded(encoded(entries))
            PUBLISHED.labels(collection).inc(len(entries))
