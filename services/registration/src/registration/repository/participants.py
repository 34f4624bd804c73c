"""The participants collection: lookups by reference, and writes that carry their events (outbox)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from registration.domain.participants import Participant, Tombstone
from registration.repository.documents import (
    PERSONAL_FIELDS,
    participant_fields,
    participant_from,
    ref_key,
    tombstone_key,
)
from shared.mongo.client import Document
from shared.mongo.outbox import ensure_outbox_index, new_document_outbox, push_outbox

_LOOKUP_CHUNK = 1000  # keeps each $in query of a large batch to a moderate size
_DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class Change:
    """A participant to store as `after`, expected at `before_version` (0: new), with its outbox entries."""

    after: Participant
    before_version: int
    outbox: list[Document]


class ParticipantStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("partner_id", ASCENDING), ("ref_key", ASCENDING)], unique=True)
        await ensure_outbox_index(self.collection)

    async def get(self, participant_id: str) -> Participant | Tombstone | None:
        doc = await self.collection.find_one({"_id": participant_id}, {"outbox": 0})
        return None if doc is None else participant_from(doc)

    async def by_refs(self, partner_id: str, refs: Iterable[str]) -> dict[str, Participant]:
        """Live participants of a partner by partner_ref, read in a few $in queries."""
        keys = sorted({ref_key(r) for r in refs})
        found: dict[str, Participant] = {}
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            query = {"partner_id": partner_id, "ref_key": {"$in": keys[start : start + _LOOKUP_CHUNK]}}
            async for doc in self.collection.find(query, {"outbox": 0}):
                participant = participant_from(doc)
                if isinstance(participant, Participant):
                    found[participant.partner_ref] = participant
        return found

    async def page(self, partner_id: str | None, after: str | None, limit: int) -> list[Participant]:
        query: Document = {"erased_at": {"$exists": False}}
        if partner_id is not None:
            query["partner_id"] = partner_id
        if after is not None:
            query["_id"] = {"$gt": after}
        cursor = self.collection.find(query, {"outbox": 0}).sort("_id", ASCENDING).limit(limit)
        return [p async for doc in cursor if isinstance(p := participant_from(doc), Participant)]

    async def write(self, changes: Sequence[Change]) -> set[str]:
        """Store new and changed participants in two bulk calls; returns the ids that lost a race."""
        new = [c for c in changes if c.before_version == 0]
        known = [c for c in changes if c.before_version > 0]
        lost: set[str] = set()
        if new:
            lost |= await self._insert(new)
        if known:
            lost |= await self._update(known)
        return lost

    async def _insert(self, changes: Sequence[Change]) -> set[str]:
        docs = [
            InsertOne({"_id": c.after.id, **participant_fields(c.after), **new_document_outbox(c.outbox)})
            for c in changes
        ]
        try:
            await self.collection.bulk_write(docs, ordered=False)
        except BulkWriteError as exc:
            failed = exc.details.get("writeErrors", [])
            if any(e.get("code") != _DUPLICATE_KEY for e in failed):
                raise
            return {changes[e["index"]].after.id for e in failed}
        return set()

    async def _update(self, changes: Sequence[Change]) -> set[str]:
        write_id = uuid.uuid4().hex  # tells our writes from a concurrent writer's
        ops = [
            UpdateOne({"_id": c.after.id, "version": c.before_version}, _set_with_outbox(c, write_id))
            for c in changes
        ]
        result = await self.collection.bulk_write(ops, ordered=False)
        if result.matched_count == len(ops):
            return set()
        ids = [c.after.id for c in changes]
        ours = {
            d["_id"]
            async for d in self.collection.find({"_id": {"$in": ids}, "write_id": write_id}, {"_id": 1})
        }
        return set(ids) - ours

    async def erase(self, tombstone: Tombstone, before_version: int, outbox: list[Document]) -> bool:
        """Remove the personal fields for good, keeping a tombstone and the erasure event, in one write."""
        ops = push_outbox(outbox)
        ops["$set"] = {
            **ops["$set"],
            "ref_key": tombstone_key(tombstone.id),
            "version": tombstone.version,
            "erased_at": tombstone.erased_at,
        }
        ops["$unset"] = dict.fromkeys(PERSONAL_FIELDS, "")
        result = await self.collection.update_one(
            {"_id": tombstone.id, "version": before_version, "erased_at": {"$exists": False}}, ops
        )
        return result.matched_count == 1


def _set_with_outbox(change: Change, write_id: str) -> Document:
    ops = push_outbox(change.outbox)
    ops["$set"] = {**ops["$set"], **participant_fields(change.after), "write_id": write_id}
    return ops
