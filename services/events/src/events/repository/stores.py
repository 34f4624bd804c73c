"""MongoDB access of the events service: events, attendance and the projection of known participants."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, OperationFailure

from shared.mongo.batch_outbox import BATCH_FIELD
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import ensure_outbox_index, push_outbox

# Fields the attendance endpoints read back; the outbox never leaves the database.
_ATTENDANCE_FIELDS = {"outbox": 0, "outbox_pending": 0, "outbox_seq": 0}
_EVENT_FIELDS = _ATTENDANCE_FIELDS
_LISTED_FIELDS = {**_ATTENDANCE_FIELDS, BATCH_FIELD: 0}
# Held by pending attendance only, naming the participant it waits for. Indexed, it finds what a newly known
# participant releases while recorded attendance, which lacks it, costs the index nothing per insert: an index
# on (participant_id, status) took ~25% of FerretDB's CPU in a bulk ingest of recorded attendance.
AWAITING_FIELD = "awaiting_participant"
# The index that found pending attendance before AWAITING_FIELD existed.
_LEGACY_PENDING_INDEX = "participant_id_1_status_1"
# What the event of a released attendance says.
_RELEASED_FIELDS = {
    f: 1 for f in ("programme_id", "event_id", "participant_id", "partner_id", AWAITING_FIELD)
}
# Participant ids held as known, at most: ~30 MB. Past it the holding starts again empty.
MAX_HELD_KNOWN = 200_000


class Repository:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self.flavour = flavour  # FerretDB's slices and retries (shared.mongo.flavour)
        self.events: AsyncCollection[Document] = db["events"]
        self.attendance: AsyncCollection[Document] = db["attendance"]
        self.participants: AsyncCollection[Document] = db["participants"]
        # The ids of erased participants, and nothing else: small, so asking it every time costs little.
        self.erased: AsyncCollection[Document] = db["erased_participants"]
        # A participant once known stays known (erasure keeps its pseudonymous id), so what this process
        # found or wrote is held: FerretDB spent ~50 us of CPU per participant a bulk batch looked up.
        self._known: set[str] = set()
        # Shared with the outbox relay: FerretDB v1 may lose one of two concurrent updates of a document.

    async def ensure_indexes(self) -> None:
        await self.events.create_index(
            [("programme_id", ASCENDING), ("starts_at", ASCENDING), ("_id", ASCENDING)]
        )
        await self.attendance.create_index([("checkin_id", ASCENDING)], unique=True)
        await self.attendance.create_index([(AWAITING_FIELD, ASCENDING)])
        await self._mark_legacy_pending()
        await ensure_outbox_index(self.events)
        await ensure_outbox_index(self.attendance)

    async def _mark_legacy_pending(self) -> None:
        """Attendance stored pending before AWAITING_FIELD existed gets it, then the legacy index goes.

        Runs while the legacy index exists, so once; repeating it after a crash changes nothing.
        """
        if _LEGACY_PENDING_INDEX not in await self.attendance.index_information():
            return
        unmarked = {"status": "pending", AWAITING_FIELD: {"$exists": False}}
        ops = [
            UpdateOne(
                {"_id": doc["_id"], "status": "pending"}, {"$set": {AWAITING_FIELD: doc["participant_id"]}}
            )
            async for doc in self.attendance.find(unmarked, {"participant_id": 1})
        ]
        # In slices, as FerretDB updates a few hundred documents a second: each write stays within the timeout.
        for part in await self.flavour.slices(ops):
            await self.attendance.bulk_write(part, ordered=False)
        try:
            await self.attendance.drop_index(_LEGACY_PENDING_INDEX)
        except OperationFailure:  # another instance, starting at the same time, dropped it first
            if _LEGACY_PENDING_INDEX in await self.attendance.index_information():
                raise

    # events

    async def insert_event(self, doc: Document) -> None:
        await self.flavour.retrying(lambda: self.events.insert_one(doc))

    async def get_event(self, event_id: str) -> Document | None:
        return await self.events.find_one({"_id": event_id}, _EVENT_FIELDS)

    async def events_by_id(self, event_ids: Iterable[str]) -> dict[str, Document]:
        docs = await self.flavour.find_in(self.events, "_id", event_ids, {"partner_id": 1, "status": 1})
        return {doc["_id"]: doc for doc in docs}

    async def update_event(
        self, event_id: str, version: int, fields: Mapping[str, Any], outbox: list[Document]
    ) -> bool:
        """Apply the change if nobody changed the event since `version` was read."""
        update = push_outbox(outbox)
        update["$set"] = {**update["$set"], **fields}
        update["$inc"] = {**update["$inc"], "version": 1}
        result = await self.flavour.retrying(
            lambda: self.events.update_one({"_id": event_id, "version": version}, update)
        )
        return result.modified_count == 1

    async def list_events(
        self, query: Document, after: tuple[datetime, str] | None, limit: int
    ) -> list[Document]:
        if after is not None:
            starts_at, event_id = after
            query = {
                **query,
                "$or": [
                    {"starts_at": {"$gt": starts_at}},
                    {"starts_at": starts_at, "_id": {"$gt": event_id}},
                ],
            }
        cursor = self.events.find(query, _EVENT_FIELDS).sort([("starts_at", ASCENDING), ("_id", ASCENDING)])
        return await cursor.limit(limit).to_list()

    # attendance

    async def insert_attendance(self, doc: Document) -> None:
        await self.flavour.retrying(lambda: self.attendance.insert_one(doc))

    async def count_attendance(self, event_id: str) -> int:
        """Attendance at one event, read on the _id index: ids are `<event id>:<participant id>`."""
        # Ids hold no ':' (ID_PATTERN), so every id of this event sorts between "<event id>:" and "<event id>;".
        return await self.attendance.count_documents({"_id": {"$gte": f"{event_id}:", "$lt": f"{event_id};"}})

    async def list_attendance(self, query: Document, after_id: str | None, limit: int) -> list[Document]:
        """A page of attendance in id order (event, then participant): the _id index serves it, so listing
        adds no index for every insert to keep."""
        if after_id is not None:
            query = {**query, "_id": {**query.get("_id", {}), "$gt": after_id}}
        cursor = self.attendance.find(query, _LISTED_FIELDS).sort("_id", ASCENDING)
        return await cursor.limit(limit).to_list()

    async def get_attendance(self, attendance_id: str) -> Document | None:
        return await self.attendance.find_one({"_id": attendance_id}, _ATTENDANCE_FIELDS)

    async def attendance_by_checkin(self, checkin_id: str) -> Document | None:
        return await self.attendance.find_one({"checkin_id": checkin_id}, _ATTENDANCE_FIELDS)

    async def stored_attendance(
        self, attendance_ids: Sequence[str], checkin_ids: Sequence[str]
    ) -> list[Document]:
        """The stored attendance with any of these ids or checkin ids, as (_id, checkin_id) only."""
        # Two indexed $in lookups rather than one $or, which FerretDB v1 answers with a full scan.
        found: dict[str, Document] = {}
        for field, values in (("_id", attendance_ids), ("checkin_id", checkin_ids)):
            for doc in await self.flavour.find_in(self.attendance, field, values, {"checkin_id": 1}):
                found[doc["_id"]] = doc
        return list(found.values())

    async def insert_attendance_slice(self, docs: list[Document]) -> list[int]:
        """Insert all that can be; returns the positions refused for a duplicate key."""
        try:
            await self.flavour.retrying(lambda: self.attendance.insert_many(docs, ordered=False))
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            return sorted(int(e["index"]) for e in errors)
        return []

    async def batches_of(self, attendance_ids: Sequence[str]) -> dict[str, str | None]:
        """The request (batch_id) that stored each of these attendance ids, for those that are stored."""
        docs = await self.flavour.find_in(self.attendance, "_id", attendance_ids, {BATCH_FIELD: 1})
        return {doc["_id"]: doc.get(BATCH_FIELD) for doc in docs}

    async def release_pending(
        self, participant_ids: Iterable[str], entry_of: Callable[[Document], Document]
    ) -> int:
        """Attendance waiting for these participants becomes recorded, each with its event (`entry_of`) in its outbox.

        Each update is conditional on the attendance still waiting, so of two releases racing (the consumer
        and a request) one writes; both would have built the same event.
        """
        waiting = await self.flavour.find_in(
            self.attendance, AWAITING_FIELD, participant_ids, _RELEASED_FIELDS
        )
        if not waiting:
            return 0
        ops = []
        for doc in waiting:
            update = push_outbox([entry_of(doc)])
            update["$set"] = {**update["$set"], "status": "recorded"}
            update["$unset"] = {AWAITING_FIELD: ""}
            ops.append(UpdateOne({"_id": doc["_id"], AWAITING_FIELD: doc[AWAITING_FIELD]}, update))
        modified = 0
        async with self.flavour.write_lock():  # the relay clears the same documents' outboxes
            for part in await self.flavour.slices(ops):
                write = partial(self.attendance.bulk_write, part, ordered=False)
                modified += (await self.flavour.retrying(write)).modified_count
        return modified

    # participants projection

    async def known_participants(self, participant_ids: Iterable[str]) -> set[str]:
        wanted = set(participant_ids)
        held = wanted & self._known
        if len(held) == len(wanted):
            return held
        docs = await self.flavour.find_in(self.participants, "_id", wanted - held, {"_id": 1})
        found = {doc["_id"] for doc in docs}
        self._hold_known(found)
        return held | found

    async def remember_participants(self, changes: Mapping[str, Document]) -> None:
        """Upsert each participant's projected fields, in one round trip."""
        if changes:
            ops = [UpdateOne({"_id": pid}, {"$set": fields}, upsert=True) for pid, fields in changes.items()]
            await self.flavour.retrying(lambda: self.participants.bulk_write(ops, ordered=False))
            self._hold_known(changes)

    async def erased_among(self, participant_ids: Iterable[str]) -> set[str]:
        """Which of these participants were erased, asked of the database every time.

        The participants consumer is a group: the instance that consumed an erasure may be another one, so
        no instance may answer this from what it holds (docs/privacy.md, Erasure in events).
        """
        docs = await self.flavour.find_in(self.erased, "_id", set(participant_ids), {"_id": 1})
        return {doc["_id"] for doc in docs}

    async def remember_erasures(self, participant_ids: Collection[str]) -> None:
        if participant_ids:
            ops = [
                UpdateOne({"_id": pid}, {"$set": {"erased": True}}, upsert=True) for pid in participant_ids
            ]
            await self.flavour.retrying(lambda: self.erased.bulk_write(ops, ordered=False))

    def _hold_known(self, participant_ids: Collection[str]) -> None:
        if len(self._known) + len(participant_ids) > MAX_HELD_KNOWN:
            self._known.clear()
        self._known.update(participant_ids)
