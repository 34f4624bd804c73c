"""Partners and organisations: small reference collections shared by every partner."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.contracts.vocabulary import OrganisationKind
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import ensure_outbox_index, push_outbox

# What partner reads return: the outbox never leaves the database.
_PARTNER_FIELDS = {"outbox": 0, "outbox_pending": 0, "outbox_seq": 0}


def name_key(name: str) -> str:
    """The form under which two spellings of one organisation's name meet."""
    return " ".join(name.split()).casefold()


class PartnerStore:
    """Partners, each written with the event of its new facts (outbox)."""

    def __init__(self, collection: AsyncCollection[Document], flavour: MongoFlavour) -> None:
        self.collection = collection
        self.flavour = flavour  # its write lock is the outbox relay's (shared.mongo.flavour)

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)

    async def insert(self, partner: Document) -> None:
        await self.flavour.retrying(lambda: self.collection.insert_one(partner))

    async def get(self, partner_id: str) -> Document | None:
        return await self.collection.find_one({"_id": partner_id}, _PARTNER_FIELDS)

    async def all(self) -> list[Document]:
        return await self.collection.find({}, _PARTNER_FIELDS).sort("_id", ASCENDING).to_list()

    async def rename(self, partner: Document, name: str, outbox: list[Document]) -> bool:
        """Store the new name if nobody changed the partner since it was read (at `partner["version"]`)."""
        update = push_outbox(outbox)
        update["$set"] = {**update["$set"], "name": name}
        update["$inc"] = {**update["$inc"], "version": 1}
        query = {"_id": partner["_id"], "version": partner["version"]}
        async with self.flavour.write_lock():
            result = await self.flavour.retrying(lambda: self.collection.update_one(query, update))
        return result.modified_count == 1

    async def announce_unannounced(self, entry_of: Callable[[Document], Document]) -> int:
        """Give each partner stored before partners had facts its first one (version 1); returns how many.

        Conditional on the version still missing, so instances starting together announce each partner
        once (and, were FerretDB to apply both, under the same event id).
        """
        announced = 0
        async for partner in self.collection.find({"version": {"$exists": False}}, _PARTNER_FIELDS):
            first = {**partner, "version": 1}
            update = push_outbox([entry_of(first)])
            update["$set"] = {**update["$set"], "version": 1}
            query = {"_id": partner["_id"], "version": {"$exists": False}}
            async with self.flavour.write_lock():
                result = await self.flavour.retrying(partial(self.collection.update_one, query, update))
            announced += result.modified_count
        return announced


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
