"""The gateway's webhook endpoints, with the secrets that sign what they are sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from gateway.domain.webhooks import Endpoint
from gateway.repository.records import from_document, to_document
from shared.mongo.client import Document


class EndpointStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._endpoints = db["webhook_endpoints"]

    async def ensure_indexes(self) -> None:
        await self._endpoints.create_index([("partner_id", ASCENDING)], name="partner_id")

    async def insert(self, endpoint: Endpoint) -> None:
        await self._endpoints.insert_one(_to_document(endpoint))

    async def by_id(self, endpoint_id: str) -> Endpoint | None:
        doc = await self._endpoints.find_one({"_id": endpoint_id})
        return _from_document(doc) if doc else None

    async def listed(self, partner_id: str | None = None, limit: int = 1000) -> list[Endpoint]:
        """Endpoints oldest first; all of them, or one partner's."""
        query: dict[str, Any] = {} if partner_id is None else {"partner_id": partner_id}
        cursor = self._endpoints.find(query).sort([("created_at", ASCENDING), ("_id", ASCENDING)])
        return [_from_document(doc) async for doc in cursor.limit(limit)]

    async def enabled(self) -> list[Endpoint]:
        return [_from_document(doc) async for doc in self._endpoints.find({"enabled": True})]

    async def count(self, partner_id: str) -> int:
        return await self._endpoints.count_documents({"partner_id": partner_id})

    async def update(self, endpoint_id: str, fields: dict[str, Any]) -> Endpoint | None:
        doc = await self._endpoints.find_one_and_update(
            {"_id": endpoint_id}, {"$set": fields}, return_document=ReturnDocument.AFTER
        )
        return _from_document(doc) if doc else None

    async def disable(self, endpoint_id: str, reason: str, now: datetime) -> None:
        await self._endpoints.update_one(
            {"_id": endpoint_id, "enabled": True},
            {"$set": {"enabled": False, "disabled_reason": reason, "updated_at": now}},
        )

    async def delete(self, endpoint_id: str) -> None:
        await self._endpoints.delete_one({"_id": endpoint_id})


def _to_document(endpoint: Endpoint) -> Document:
    return to_document(endpoint, event_types=list(endpoint.event_types))


def _from_document(doc: Document) -> Endpoint:
    return from_document(Endpoint, doc, event_types=tuple(doc["event_types"]))
