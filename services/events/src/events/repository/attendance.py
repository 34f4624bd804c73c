"""The attendance collection: door check-ins with their own outbox, bulk uploads through the batch outbox."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import partial

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from events.domain.attendance import Attendance, AttendanceQuery, Pending
from events.handlers.storage import Refused
from events.messages import EventMessages
from events.repository.documents import (
    AWAITING_FIELD,
    PENDING_FIELDS,
    attendance_document,
    attendance_from,
    pending_from,
)
from shared.kafka.producer import Encoded, Outgoing
from shared.mongo.batch_outbox import BATCH_FIELD, Batch, BatchOutbox, MessageOf
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import NO_OUTBOX, OutboxRelay, ensure_outbox_index, new_document_outbox, push_outbox

ATTENDANCE = "attendance"
# The index that found pending attendance before AWAITING_FIELD existed.
_LEGACY_PENDING_INDEX = "participant_id_1_status_1"


def batch_message_of(messages: EventMessages) -> MessageOf:
    """How the batch outbox builds the event of an attendance a bulk upload stored, from the document."""

    def message_of(doc: Document, batch: Batch) -> Encoded:
        return messages.recorded_in(batch, attendance_from(doc), batch.event_id(doc))

    return message_of


class MongoAttendanceStore:
    def __init__(
        self, db: AsyncDatabase[Document], flavour: MongoFlavour, relay: OutboxRelay, batches: BatchOutbox
    ) -> None:
        self.collection: AsyncCollection[Document] = db[ATTENDANCE]
        self._flavour = flavour  # FerretDB's slices, retries and write lock (shared.mongo.flavour)
        self._relay = relay
        self._batches = batches

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("checkin_id", ASCENDING)], unique=True)
        await self.collection.create_index([(AWAITING_FIELD, ASCENDING)])
        await self._mark_legacy_pending()
        await ensure_outbox_index(self.collection)

    async def insert(self, attendance: Attendance, message: Outgoing) -> bool:
        # One document: its own outbox costs no extra write.
        doc = {**attendance_document(attendance), **new_document_outbox([message])}
        try:
            await self._flavour.retrying(lambda: self.collection.insert_one(doc))
        except DuplicateKeyError:
            return False
        self._relay.hand_over(self.collection, [doc])
        return True

    async def insert_batch(self, batch_id: str, attendances: Sequence[Attendance]) -> Refused:
        docs = [attendance_document(attendance) for attendance in attendances]
        batch, refused_at = await self._batches.insert_many(
            self.collection, batch_id, docs, self._insert_slice
        )
        refused = set(refused_at)
        stored_by = await self._batches_of([docs[i]["_id"] for i in refused]) if refused else {}
        # A retried insert may find documents its own earlier attempt stored: those count as inserted.
        refused = {i for i in refused if stored_by.get(docs[i]["_id"]) != batch_id}
        await self._batches.stored(batch, [doc for i, doc in enumerate(docs) if i not in refused])
        duplicates = {i for i in refused if docs[i]["_id"] in stored_by}
        return Refused(duplicates=duplicates, conflicts=refused - duplicates)

    async def get(self, attendance_id: str) -> Attendance | None:
        doc = await self.collection.find_one({"_id": attendance_id}, NO_OUTBOX)
        return None if doc is None else attendance_from(doc)

    async def by_checkin(self, checkin_id: str) -> Attendance | None:
        doc = await self.collection.find_one({"checkin_id": checkin_id}, NO_OUTBOX)
        return None if doc is None else attendance_from(doc)

    async def stored(self, attendance_ids: Collection[str], checkin_ids: Collection[str]) -> dict[str, str]:
        # Two indexed $in lookups rather than one $or, which FerretDB v1 answers with a full scan.
        found: dict[str, str] = {}
        for field, values in (("_id", attendance_ids), ("checkin_id", checkin_ids)):
            for doc in await self._flavour.find_in(self.collection, field, values, {"checkin_id": 1}):
                found[doc["checkin_id"]] = doc["_id"]
        return found

    async def count_at(self, event_id: str) -> int:
        """Attendance at one event, read on the _id index: ids are `<event id>:<participant id>`."""
        # Ids hold no ':' (ID_PATTERN), so every id of this event sorts between "<event id>:" and "<event id>;".
        return await self.collection.count_documents({"_id": {"$gte": f"{event_id}:", "$lt": f"{event_id};"}})

    async def page(self, query: AttendanceQuery, limit: int) -> list[Attendance]:
        """In id order (event, then participant): the _id index serves it, so listing adds no index that
        every insert would have to keep."""
        found: Document = {"programme_id": query.programme_id}
        if query.partner_id is not None:
            found["partner_id"] = query.partner_id
        ids: Document = {}
        if query.event_id is not None:  # one event's ids sort between "<event id>:" and "<event id>;"
            ids = {"$gte": f"{query.event_id}:", "$lt": f"{query.event_id};"}
        if query.after is not None:
            ids["$gt"] = query.after
        if ids:
            found["_id"] = ids
        if query.status is not None:
            found["status"] = query.status.value
        window = {
            op: moment
            for op, moment in (("$gte", query.checked_in_from), ("$lt", query.checked_in_before))
            if moment is not None
        }
        if window:
            found["checked_in_at"] = window
        docs = await self.collection.find(found, NO_OUTBOX).sort("_id", ASCENDING).limit(limit).to_list()
        return [attendance_from(doc) for doc in docs]

    async def release(
        self, participant_ids: Collection[str], message_of: Callable[[Pending], Outgoing]
    ) -> int:
        """Each update is conditional on the attendance still waiting, so of two releases racing (the consumer
        and a request) one writes; both would have built the same event."""
        waiting = await self._flavour.find_in(
            self.collection, AWAITING_FIELD, participant_ids, PENDING_FIELDS
        )
        if not waiting:
            return 0
        ops = []
        for doc in waiting:
            update = push_outbox([message_of(pending_from(doc))])
            update["$set"] = {**update["$set"], "status": "recorded"}
            update["$unset"] = {AWAITING_FIELD: ""}
            ops.append(UpdateOne({"_id": doc["_id"], AWAITING_FIELD: doc[AWAITING_FIELD]}, update))
        modified = 0
        async with self._flavour.write_lock():  # the relay clears the same documents' outboxes
            for part in await self._flavour.slices(ops):
                write = partial(self.collection.bulk_write, part, ordered=False)
                modified += (await self._flavour.retrying(write)).modified_count
        if modified:
            self._relay.wake(self.collection)
        return modified

    async def _insert_slice(self, docs: list[Document]) -> list[int]:
        """Insert all that can be; returns the positions refused for a duplicate key."""
        try:
            await self._flavour.retrying(lambda: self.collection.insert_many(docs, ordered=False))
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            return sorted(int(e["index"]) for e in errors)
        return []

    async def _batches_of(self, attendance_ids: Sequence[str]) -> dict[str, str | None]:
        """The request (batch_id) that stored each of these attendance ids, for those that are stored."""
        docs = await self._flavour.find_in(self.collection, "_id", attendance_ids, {BATCH_FIELD: 1})
        return {doc["_id"]: doc.get(BATCH_FIELD) for doc in docs}

    async def _mark_legacy_pending(self) -> None:
        """Attendance stored pending before AWAITING_FIELD existed gets it, then the legacy index goes.

        Runs while the legacy index exists, so once; repeating it after a crash changes nothing.
        """
        if _LEGACY_PENDING_INDEX not in await self.collection.index_information():
            return
        unmarked = {"status": "pending", AWAITING_FIELD: {"$exists": False}}
        ops = [
            UpdateOne(
                {"_id": doc["_id"], "status": "pending"}, {"$set": {AWAITING_FIELD: doc["participant_id"]}}
            )
            async for doc in self.collection.find(unmarked, {"participant_id": 1})
        ]
        # In slices, as FerretDB updates a few hundred documents a second: each write stays within the timeout.
        for part in await self._flavour.slices(ops):
            await self.collection.bulk_write(part, ordered=False)
        try:
            await self.collection.drop_index(_LEGACY_PENDING_INDEX)
        except OperationFailure:  # another instance, starting at the same time, dropped it first
            if _LEGACY_PENDING_INDEX in await self.collection.index_information():
                raise
