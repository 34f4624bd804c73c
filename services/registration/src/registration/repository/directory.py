"""Partners and organisations: small reference collections shared by every partner."""

from __future__ import annotations

import re

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.contracts.vocabulary import OrganisationKind
from shared.mongo.client import Document


def name_key(name: str) -> str:
    """The form under which two spellings of one organisation's name meet."""
    return " ".join(name.split()).casefold()


class PartnerStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def insert(self, partner: Document) -> None:
        await self.collection.insert_one(partner)

    async def get(self, partner_id: str) -> Document | None:
        return await self.collection.find_one({"_id": partner_id})

    async def all(self) -> list[Document]:
        return await self.collection.find({}).sort("_id", ASCENDING).to_list()


class OrganisationStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("kind", ASCENDING), ("name_key", ASCENDING)], unique=True)

    async def insert_or_find(self, organisation: Document) -> tuple[Document, bool]:
        """The stored organisation of that name and kind, and whether this call created it."""
        same = {"kind": organisation["kind"], "name_key": organisation["name_key"]}
        existing = await self.collection.find_one(same)
        if existing is not None:
            return existing, False
        try:
            await self.collection.insert_one(organisation)
        except DuplicateKeyError:  # another partner named it at the same moment
            raced = await self.collection.find_one(same)
            if raced is None:
                raise
            return raced, False
        return organisation, True

    async def existing_ids(self, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        return {d["_id"] async for d in self.collection.find({"_id": {"$in": sorted(ids)}}, {"_id": 1})}

    async def page(
        self, *, kind: OrganisationKind | None, name_prefix: str | None, after: str | None, limit: int
    ) -> list[Document]:
        query: Document = {}
        if kind is not None:
            query["kind"] = kind.value
        if name_prefix:
            query["name_key"] = {"$regex": f"^{re.escape(name_key(name_prefix))}"}
        if after is not None:
            query["_id"] = {"$gt": after}
        return await self.collection.find(query).sort("_id", ASCENDING).limit(limit).to_list()
