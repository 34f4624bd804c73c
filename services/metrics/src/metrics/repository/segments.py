"""Fact segments: each consumer batch's reduced facts of one partition, stored as one document.

A partition's facts are the merge of its snapshot and its segments not covered by that snapshot
(metrics.repository.partition_store). A redelivered batch stores a segment that overlaps an earlier one,
which the merge absorbs, so no write ever needs to be undone or coordinated with another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from metrics.domain.facts import Fact
from metrics.repository.codec import decode_facts, encode_facts
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

SEGMENTS = "fact_segments"
# Keeps each document far below the 16 MiB limit (a fact encodes to ~100 bytes before compression).
FACTS_PER_DOCUMENT = 20000
_DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class Segment:
    """One partition's facts of one batch, named by the batch's offsets in that partition."""

    partition: int
    name: str
    facts: Sequence[Fact]


@dataclass(frozen=True)
class StoredSegment:
    id: str
    facts: list[Fact]


class FactSegments:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self._collection = db[SEGMENTS]
        self._flavour = flavour

    async def prepare(self) -> None:
        """Index by partition; drop segments of the earlier single-process layout, which name no partition
        (a partition with offsets committed but nothing stored is replayed from Kafka)."""
        await self._collection.create_index("partition")
        await self._collection.delete_many({"partition": {"$exists": False}})

    async def store(self, segments: Sequence[Segment]) -> dict[int, list[str]]:
        """Store every segment in one round trip; their document ids by partition. Storing again is a no-op."""
        documents: list[Document] = [
            {
                "_id": f"{s.partition}:{s.name}:{start}",
                "partition": s.partition,
                "stored_at": datetime.now(UTC),
                "facts": Binary(encode_facts(s.facts[start : start + FACTS_PER_DOCUMENT])),
            }
            for s in segments
            for start in range(0, len(s.facts), FACTS_PER_DOCUMENT)
        ]
        if documents:
            try:
                await self._collection.insert_many(documents, ordered=False)
            except BulkWriteError as exc:
                # A duplicate means it was stored before a crash, then redelivered as the very same batch.
                if any(e.get("code") != _DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                    raise
        ids: dict[int, list[str]] = {}
        for document in documents:
            ids.setdefault(document["partition"], []).append(document["_id"])
        return ids

    async def load(self, partition: int, skip: set[str]) -> list[StoredSegment]:
        """The partition's segments except those in `skip` (raises UnreadableBlob for one it cannot read)."""
        found: list[StoredSegment] = []
        async for document in self._collection.find({"partition": partition}).batch_size(16):
            if document["_id"] not in skip:
                found.append(StoredSegment(document["_id"], decode_facts(document["facts"])))
        return found

    async def ids(self, partition: int) -> set[str]:
        return {d["_id"] async for d in self._collection.find({"partition": partition}, {"_id": 1})}

    async def delete(self, ids: Sequence[str]) -> None:
        for in_slice in await self._flavour.slices(ids):
            await self._collection.delete_many({"_id": {"$in": in_slice}})

    async def count(self, partition: int) -> int:
        return await self._collection.count_documents({"partition": partition})
