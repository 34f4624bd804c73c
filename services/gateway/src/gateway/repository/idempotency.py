"""Answers kept per (caller, Idempotency-Key) in the gateway's database, shared by every gateway instance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from gateway.domain.idempotency import Record, State, Verdict, verdict
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

_CLAIM_ATTEMPTS = 3


def _record(doc: Document) -> Record:
    return Record(
        fingerprint=doc["fingerprint"],
        state=State(doc["state"]),
        lease_ends_at=doc["lease_ends_at"].replace(tzinfo=UTC).timestamp(),
        answer=bytes(doc["answer"]) if doc.get("answer") is not None else None,
    )


class IdempotencyStore:
    """One document per (caller, key): its request's fingerprint, who runs it until when, and its answer.

    Whoever inserts the document runs the request: the unique `_id` decides between instances. A request
    that may run again (released, or its lease ended with its gateway) is taken over by deleting exactly
    the document that was read and inserting anew, so two retries racing for it still elect one.
    """

    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self._records = db["idempotency_keys"]
        self._flavour = flavour

    async def ensure_indexes(self) -> None:
        await self._records.create_index([("expires_at", ASCENDING)], name="expires_at")

    async def claim(
        self, record_id: str, fingerprint: str, holder: str, now: datetime, lease: timedelta, keep: timedelta
    ) -> tuple[Verdict, Record | None]:
        """RUN if this request now holds the key; otherwise what the record already there says."""
        doc = {
            "_id": record_id,
            "fingerprint": fingerprint,
            "state": State.RUNNING.value,
            "holder": holder,
            "lease_ends_at": now + lease,
            "expires_at": now + keep,
        }
        for _ in range(_CLAIM_ATTEMPTS):
            try:
                await self._flavour.retrying(lambda: self._records.insert_one(dict(doc)))
                return Verdict.RUN, None
            except DuplicateKeyError:
                pass
            found = await self._records.find_one({"_id": record_id})
            if found is None:
                continue  # taken over and released meanwhile: try inserting again
            record = _record(found)
            decided = verdict(record, fingerprint, now.timestamp())
            if decided is not Verdict.RUN:
                return decided, record
            stale = {"_id": record_id, "holder": found["holder"], "state": found["state"]}
            await self._flavour.retrying(partial(self._records.delete_one, stale))
        return Verdict.IN_FLIGHT, None  # others kept taking it over: one of them runs it

    async def complete(self, record_id: str, holder: str, answer: bytes) -> None:
        """Keep the answer to replay; only the holder's own claim is completed."""
        update = {"$set": {"state": State.DONE.value, "answer": answer}}
        await self._flavour.retrying(
            lambda: self._records.update_one({"_id": record_id, "holder": holder}, update)
        )

    async def release(self, record_id: str, holder: str) -> None:
        """The request ended without a final answer: a retry with the same request runs it again."""
        update = {"$set": {"state": State.RELEASED.value}}
        await self._flavour.retrying(
            lambda: self._records.update_one({"_id": record_id, "holder": holder}, update)
        )

    async def forget_expired(self, now: datetime) -> int:
        result = await self._records.delete_many({"expires_at": {"$lt": now}})
        return result.deleted_count
