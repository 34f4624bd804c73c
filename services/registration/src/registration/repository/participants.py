"""The participants collection: lookups by reference, and writes that carry their events (outbox)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Sequence

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from registration.domain.participants import Participant, Tombstone
from registration.handlers.storage import Change
from registration.repository.documents import (
    PERSONAL_FIELDS,
    participant_fields,
    participant_from,
    ref_key,
    tombstone_key,
)
from shared.kafka.producer import Deletion, Outgoing
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import NO_OUTBOX, OutboxRelay, ensure_outbox_index, new_document_outbox, push_outbox

log = logging.getLogger(__name__)


class MongoParticipantStore:
    def __init__(
        self, collection: AsyncCollection[Document], flavour: MongoFlavour, relay: OutboxRelay
    ) -> None:
        self.collection = collection
        # Its write lock, which the outbox relay's clearing takes too, and its retries are FerretDB's only.
        self.flavour = flavour
        self._relay = relay

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("ref_key", ASCENDING), ("partner_id", ASCENDING)], unique=True)
        await ensure_outbox_index(self.collection)

    async def get(self, participant_id: str) -> Participant | Tombstone | None:
        doc = await self.collection.find_one({"_id": participant_id}, NO_OUTBOX)
        return None if doc is None else participant_from(doc)

    async def by_refs(self, partner_id: str, refs: Iterable[str]) -> dict[str, Participant]:
        """Live participants of a partner by partner_ref, read in a few $in queries."""
        keys = sorted({ref_key(r) for r in refs})
        found: dict[str, Participant] = {}
        found_docs = await self.flavour.find_in(
            self.collection, "ref_key", keys, NO_OUTBOX, {"partner_id": partner_id}
        )
        for doc in found_docs:
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
        cursor = self.collection.find(query, NO_OUTBOX).sort("_id", ASCENDING).limit(limit)
        return [p async for doc in cursor if isinstance(p := participant_from(doc), Participant)]

    async def write(self, changes: Sequence[Change]) -> set[str]:
        """Store new and changed participants in two bulk calls; returns the ids that lost a race."""
        new = [c for c in changes if c.before_version == 0]
        known = [c for c in changes if c.before_version > 0]
        lost: set[str] = set()
        if new:
            lost |= await self._insert(new)
        if known:
            async with self.flavour.write_lock():
                lost |= await self._update(known)
        if changes:
            self._relay.wake(self.collection)
        return lost

    async def _insert(self, changes: Sequence[Change]) -> set[str]:
        """Insert new participants; a transient failure (FerretDB's) retries only what is not stored yet."""
        remaining = list(changes)
        lost: set[str] = set()
        attempts = (await self.flavour.workarounds()).bulk_write_attempts
        for attempt in range(attempts):
            try:
                await self.collection.bulk_write([_insert_op(c) for c in remaining], ordered=False)
                return lost
            except OperationFailure as exc:
                if attempt == attempts - 1:
                    raise
                log.warning(
                    "bulk insert of %d participants failed, retrying the rest: %s", len(remaining), exc
                )
            ours = await self._ids_present([c.after.id for c in remaining], {})
            remaining = [c for c in remaining if c.after.id not in ours]
            taken = await self._refs_taken(remaining)
            lost |= {c.after.id for c in remaining if c.after.id in taken}
            remaining = [c for c in remaining if c.after.id not in taken]
            if not remaining:
                return lost
            await asyncio.sleep(0.05 * 2**attempt)
        return lost

    async def _update(self, changes: Sequence[Change]) -> set[str]:
        """Update known participants at their expected version; returns those another writer changed."""
        write_id = uuid.uuid4().hex  # tells our writes from a concurrent writer's
        remaining = list(changes)
        attempts = (await self.flavour.workarounds()).bulk_write_attempts
        for attempt in range(attempts):
            ops = [
                UpdateOne({"_id": c.after.id, "version": c.before_version}, _set_with_outbox(c, write_id))
                for c in remaining
            ]
            try:
                result = await self.collection.bulk_write(ops, ordered=False)
                if attempt == 0 and result.matched_count == len(ops):
                    return set()
                break
            except OperationFailure as exc:
                if attempt == attempts - 1:
                    raise
                log.warning("bulk update of %d participants failed, retrying the rest: %s", len(ops), exc)
            ours = await self._ids_present([c.after.id for c in remaining], {"write_id": write_id})
            versions = await self._versions({c.after.id for c in remaining} - ours)
            remaining = [c for c in remaining if versions.get(c.after.id) == c.before_version]
            if not remaining:
                break
            await asyncio.sleep(0.05 * 2**attempt)
        ids = [c.after.id for c in changes]
        return set(ids) - await self._ids_present(ids, {"write_id": write_id})

    async def _ids_present(self, ids: list[str], extra: Document) -> set[str]:
        if not ids:
            return set()
        query = {"_id": {"$in": ids}, **extra}
        return {d["_id"] async for d in self.collection.find(query, {"_id": 1})}

    async def _versions(self, ids: set[str]) -> dict[str, int]:
        if not ids:
            return {}
        cursor = self.collection.find({"_id": {"$in": sorted(ids)}}, {"version": 1})
        return {d["_id"]: d["version"] async for d in cursor}

    async def _refs_taken(self, changes: Sequence[Change]) -> set[str]:
        """Ids of new participants whose partner_ref another writer has registered meanwhile."""
        if not changes:
            return set()
        by_key = {(c.after.partner_id, ref_key(c.after.partner_ref)): c.after.id for c in changes}
        query = {
            "partner_id": {"$in": sorted({p for p, _ in by_key})},
            "ref_key": {"$in": sorted({k for _, k in by_key})},
        }
        found = self.collection.find(query, {"partner_id": 1, "ref_key": 1})
        return {by_key[key] async for d in found if (key := (d["partner_id"], d["ref_key"])) in by_key}

    async def erase(
        self, tombstone: Tombstone, before_version: int, messages: Sequence[Outgoing | Deletion]
    ) -> bool:
        """Remove the personal fields for good, keeping a tombstone and the erasure event, in one write."""
        ops = push_outbox(messages)
        ops["$set"] = {
            **ops["$set"],
            "ref_key": tombstone_key(tombstone.id),
            "version": tombstone.version,
            "erased_at": tombstone.erased_at,
        }
        ops["$unset"] = dict.fromkeys(PERSONAL_FIELDS, "")
        async with self.flavour.write_lock():
            result = await self.collection.update_one(
                {"_id": tombstone.id, "version": before_version, "erased_at": {"$exists": False}}, ops
            )
        if result.matched_count != 1:
            return False
        self._relay.wake(self.collection)
        return True


def _insert_op(change: Change) -> InsertOne[Document]:
    return InsertOne(
        {"_id": change.after.id, **participant_fields(change.after), **new_document_outbox(change.messages)}
    )


def _set_with_outbox(change: Change, write_id: str) -> Document:
    ops = push_outbox(change.messages)
    ops["$set"] = {**ops["$set"], **participant_fields(change.after), "write_id": write_id}
    return ops
