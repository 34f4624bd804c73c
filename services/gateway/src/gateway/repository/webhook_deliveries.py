"""Deliveries of webhook messages and their attempts.

An attempt is claimed by inserting its record under `<delivery id>#<number>`: a unique key, so of two
instances only one makes a given attempt, on MongoDB and on FerretDB alike. Its lease says until when the
claimer may take to record how it went; past it, another instance counts the attempt as failed and makes
the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bson import Binary
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from gateway.domain.webhook_retries import Outcome
from gateway.domain.webhooks import DELIVERED, FAILED, PENDING, Attempt, Delivery
from gateway.repository.records import from_document, to_document
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

_DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class Claim:
    """The attempt an instance may make now, or (stale) an attempt whose claimer stopped mid-way."""

    number: int
    stale: bool = False


class DeliveryStore:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self._flavour = flavour  # FerretDB's slices and retries (shared.mongo.flavour)
        self._deliveries = db["webhook_deliveries"]
        self._attempts = db["webhook_attempts"]

    async def ensure_indexes(self) -> None:
        await self._deliveries.create_index(
            [("status", ASCENDING), ("next_attempt_at", ASCENDING)], name="due"
        )
        await self._deliveries.create_index(
            [("endpoint_id", ASCENDING), ("created_at", DESCENDING)], name="endpoint_created"
        )
        await self._attempts.create_index([("delivery_id", ASCENDING)], name="delivery_id")

    async def insert_new(self, deliveries: Sequence[Delivery]) -> int:
        """Store the deliveries not stored yet (a redelivered batch creates none twice); returns how many were new."""
        inserted = 0
        for part in await self._flavour.slices(deliveries):
            docs = [_to_document(d) for d in part]
            try:
                await self._flavour.retrying(partial(self._deliveries.insert_many, docs, ordered=False))
                inserted += len(docs)
            except BulkWriteError as exc:
                errors = exc.details.get("writeErrors", [])
                if any(e.get("code") != _DUPLICATE_KEY for e in errors):
                    raise
                inserted += len(docs) - len(errors)
        return inserted

    async def due(self, now: datetime, endpoint_ids: Sequence[str], limit: int) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, to these endpoints, the longest waiting first."""
        if not endpoint_ids or limit <= 0:
            return []
        query = {
            "status": PENDING,
            "next_attempt_at": {"$lte": now},
            "endpoint_id": {"$in": list(endpoint_ids)},
        }
        cursor = self._deliveries.find(query).sort("next_attempt_at", ASCENDING).limit(limit)
        return [_from_document(doc) async for doc in cursor]

    async def claim(self, delivery: Delivery, instance: str, now: datetime, lease_s: float) -> Claim | None:
        """Claim the delivery's next attempt; None when another instance holds it."""
        number = delivery.attempts + 1
        lease_until = now + timedelta(seconds=lease_s)
        record = {
            "_id": _attempt_id(delivery.id, number),
            "delivery_id": delivery.id,
            "endpoint_id": delivery.endpoint_id,
            "number": number,
            "instance": instance,
            "started_at": now,
            "lease_until": lease_until,
            "ended_at": None,
        }
        try:
            await self._flavour.retrying(lambda: self._attempts.insert_one(record))
        except DuplicateKeyError:
            held = await self._attempts.find_one({"_id": record["_id"]})
            if held is not None and held.get("ended_at") is None and held["lease_until"] <= now:
                return Claim(number, stale=True)
            return None
        # Only a hint, so other instances stop finding it due while the attempt is made; the claim is the key.
        await self._deliveries.update_one(
            {"_id": delivery.id, "attempts": delivery.attempts, "status": PENDING},
            {"$set": {"next_attempt_at": lease_until}},
        )
        return Claim(number)

    async def finish_attempt(self, delivery_id: str, number: int, outcome: Outcome, now: datetime) -> None:
        await self._attempts.update_one(
            {"_id": _attempt_id(delivery_id, number), "ended_at": None},
            {"$set": {"ended_at": now, "status_code": outcome.status_code, "error": outcome.error}},
        )

    async def record(
        self, delivery_id: str, number: int, outcome: Outcome, now: datetime, next_attempt_at: datetime | None
    ) -> None:
        """The delivery after its attempt `number`: delivered, due again at `next_attempt_at`, or failed.

        Conditional on no later attempt being recorded, so a late claimer cannot undo a newer outcome.
        """
        if outcome.succeeded:
            status, finished_at = DELIVERED, now
        elif next_attempt_at is None:
            status, finished_at = FAILED, now
        else:
            status, finished_at = PENDING, None
        fields_after = {
            "attempts": number,
            "status": status,
            "next_attempt_at": next_attempt_at,
            "last_attempt_at": now,
            "last_status_code": outcome.status_code,
            "last_error": None if outcome.succeeded else outcome.describe(),
            "finished_at": finished_at,
        }
        await self._flavour.retrying(
            lambda: self._deliveries.update_one(
                {"_id": delivery_id, "attempts": {"$lt": number}}, {"$set": fields_after}
            )
        )

    async def by_id(self, delivery_id: str) -> Delivery | None:
        doc = await self._deliveries.find_one({"_id": delivery_id})
        return _from_document(doc) if doc else None

    async def listed(
        self, endpoint_id: str, status: str | None, before: datetime | None, limit: int
    ) -> list[Delivery]:
        """An endpoint's deliveries, newest first; of one status, created before a time, when given."""
        query: dict[str, Any] = {"endpoint_id": endpoint_id}
        if status is not None:
            query["status"] = status
        if before is not None:
            query["created_at"] = {"$lt": before}
        cursor = self._deliveries.find(query).sort([("created_at", DESCENDING), ("_id", ASCENDING)])
        return [_from_document(doc) async for doc in cursor.limit(limit)]

    async def attempts_of(self, delivery_id: str) -> list[Attempt]:
        cursor = self._attempts.find({"delivery_id": delivery_id}).sort("number", ASCENDING)
        return [
            Attempt(
                number=doc["number"],
                started_at=doc["started_at"],
                ended_at=doc.get("ended_at"),
                status_code=doc.get("status_code"),
                error=doc.get("error"),
            )
            async for doc in cursor
        ]

    async def redeliver(self, delivery: Delivery, now: datetime) -> bool:
        """Try the delivery again now; a finished one starts a new round of the whole retry schedule."""
        fields_after: dict[str, Any] = {"next_attempt_at": now}
        if delivery.status != PENDING:
            fields_after.update(status=PENDING, round_start=delivery.attempts, finished_at=None)
        result = await self._deliveries.update_one(
            {"_id": delivery.id, "attempts": delivery.attempts, "status": delivery.status},
            {"$set": fields_after},
        )
        return result.modified_count == 1

    async def delete_endpoint(self, endpoint_id: str) -> None:
        await self._deliveries.delete_many({"endpoint_id": endpoint_id})
        await self._attempts.delete_many({"endpoint_id": endpoint_id})

    async def purge_finished(self, before: datetime) -> None:
        """Forget deliveries finished, and attempts ended, before a time."""
        await self._deliveries.delete_many(
            {"status": {"$in": [DELIVERED, FAILED]}, "finished_at": {"$lt": before}}
        )
        await self._attempts.delete_many({"ended_at": {"$lt": before}})


def _attempt_id(delivery_id: str, number: int) -> str:
    return f"{delivery_id}#{number}"


def _to_document(delivery: Delivery) -> Document:
    return to_document(delivery, body=Binary(delivery.body))


def _from_document(doc: Document) -> Delivery:
    return from_document(Delivery, doc, body=bytes(doc["body"]))
