"""The gateway's own database: API keys, stored by the hash of their secret, each counting its requests."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from gateway.domain.keys import ApiKey
from gateway.repository.windows import USED, WINDOW, count_many, count_request
from shared.contracts.identity import Scope
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour


class KeyRepository:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self._keys = db["api_keys"]
        self._flavour = flavour

    async def ensure_indexes(self) -> None:
        await self._keys.create_index([("hash", ASCENDING)], unique=True, name="hash_unique")
        await self._keys.create_index([("partner_id", ASCENDING)], name="partner_id")

    async def insert(self, key: ApiKey) -> None:
        await self._keys.insert_one(_to_document(key))

    async def use(self, key_hash: str, window: int, amount: int = 1) -> tuple[ApiKey, int] | None:
        """The key with this hash and its requests in this window, `amount` more counted; None if unknown.

        One round trip in most cases; `gateway.handlers.key_usage` decides how often it is made.
        """
        doc = await count_request(self._keys, {"hash": key_hash}, window, amount=amount)
        return (_from_document(doc), doc[USED]) if doc else None

    async def use_many(
        self, amounts: Mapping[str, int], window: int, behind: Collection[str]
    ) -> dict[str, tuple[ApiKey, int]]:
        """`use` for many keys at once, by hash (`count_many`, `behind` as there); unknown hashes are left out."""
        docs = await count_many(self._keys, self._flavour, "hash", amounts, window, behind)
        return {key_hash: (_from_document(doc), doc[USED]) for key_hash, doc in docs.items()}

    async def by_id(self, key_id: str) -> ApiKey | None:
        doc = await self._keys.find_one({"_id": key_id})
        return _from_document(doc) if doc else None

    async def listed(self, partner_id: str | None = None, limit: int = 1000) -> list[ApiKey]:
        """Keys newest first; all of them, or those of one partner (its own and its events')."""
        query: dict[str, Any] = {} if partner_id is None else {"partner_id": partner_id}
        cursor = self._keys.find(query).sort("created_at", -1).limit(limit)
        return [_from_document(doc) async for doc in cursor]

    async def revoke(self, key_id: str, now: datetime) -> None:
        """Mark revoked once; a repeated revocation keeps the first time."""
        await self._keys.update_one({"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": now}})


def _to_document(key: ApiKey) -> Document:
    return {
        "_id": key.id,
        "hash": key.hash,
        "scope": key.scope.value,
        "partner_id": key.partner_id,
        "event_id": key.event_id,
        "expires_at": key.expires_at,
        "label": key.label,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
        WINDOW: 0,
        USED: 0,
    }


def _from_document(doc: Document) -> ApiKey:
    return ApiKey(
        id=doc["_id"],
        hash=doc["hash"],
        scope=Scope(doc["scope"]),
        partner_id=doc.get("partner_id"),
        event_id=doc.get("event_id"),
        expires_at=doc.get("expires_at"),
        label=doc.get("label"),
        created_at=doc["created_at"],
        revoked_at=doc.get("revoked_at"),
    )
