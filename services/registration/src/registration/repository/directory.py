"""Partners and organisations: small reference collections shared by every partner."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from registration.domain.directory import Organisation, Partner, name_key
from registration.repository.documents import (
    organisation_document,
    organisation_from,
    partner_document,
    partner_from,
)
from shared.contracts.vocabulary import OrganisationKind
from shared.kafka.producer import Outgoing
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import NO_OUTBOX, OutboxRelay, ensure_outbox_index, new_document_outbox, push_outbox


class MongoPartnerStore:
    """Partners, each written with the message of its new facts (outbox)."""

    def __init__(
        self, collection: AsyncCollection[Document], flavour: MongoFlavour, relay: OutboxRelay
    ) -> None:
        self.collection = collection
        self._flavour = flavour  # its write lock is the outbox relay's (shared.mongo.flavour)
        self._relay = relay

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)

    async def insert(self, partner: Partner, message: Outgoing) -> None:
        doc = {**partner_document(partner), **new_document_outbox([message])}
        await self._flavour.retrying(lambda: self.collection.insert_one(doc))
        self._relay.wake(self.collection)

    async def get(self, partner_id: str) -> Partner | None:
        doc = await self.collection.find_one({"_id": partner_id}, NO_OUTBOX)
        return None if doc is None else partner_from(doc)

    async def all(self) -> list[Partner]:
        docs = await self.collection.find({}, NO_OUTBOX).sort("_id", ASCENDING).to_list()
        return [partner_from(doc) for doc in docs]

    async def rename(self, before: Partner, after: Partner, message: Outgoing) -> bool:
        update = push_outbox([message])
        update["$set"] = {**update["$set"], "name": after.name, "version": after.version}
        query = {"_id": before.id, "version": before.version}
        async with self._flavour.write_lock():
            result = await self._flavour.retrying(lambda: self.collection.update_one(query, update))
        if result.modified_count != 1:
            return False
        self._relay.wake(self.collection)
        return True

    async def announce_unannounced(self, message_of: Callable[[Partner], Outgoing]) -> int:
        """Conditional on the version still missing, so instances starting together announce each partner
        once (and, were FerretDB to apply both, under the same event id)."""
        announced = 0
        async for doc in self.collection.find({"version": {"$exists": False}}, NO_OUTBOX):
            first = replace(partner_from(doc), version=1)
            update = push_outbox([message_of(first)])
            update["$set"] = {**update["$set"], "version": 1}
            query = {"_id": first.id, "version": {"$exists": False}}
            async with self._flavour.write_lock():
                result = await self._flavour.retrying(partial(self.collection.update_one, query, update))
            announced += result.modified_count
        if announced:
            self._relay.wake(self.collection)
        return announced


class MongoOrganisationStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("kind", ASCENDING), ("name_key", ASCENDING)], unique=True)

    async def insert_or_find(self, organisation: Organisation) -> tuple[Organisation, bool]:
        same = {"kind": organisation.kind.value, "name_key": organisation.name_key}
        existing = await self.collection.find_one(same)
        if existing is not None:
            return organisation_from(existing), False
        try:
            await self.collection.insert_one(organisation_document(organisation))
        except DuplicateKeyError:  # another partner named it at the same moment
            raced = await self.collection.find_one(same)
            if raced is None:
                raise
            return organisation_from(raced), False
        return organisation, True

    async def existing_ids(self, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        return {d["_id"] async for d in self.collection.find({"_id": {"$in": sorted(ids)}}, {"_id": 1})}

    async def page(
        self, *, kind: OrganisationKind | None, name_prefix: str | None, after: str | None, limit: int
    ) -> list[Organisation]:
        query: Document = {}
        if kind is not None:
            query["kind"] = kind.value
        if name_prefix:
            query["name_key"] = {"$regex": f"^{re.escape(name_key(name_prefix))}"}
        if after is not None:
            query["_id"] = {"$gt": after}
        docs = await self.collection.find(query).sort("_id", ASCENDING).limit(limit).to_list()
        return [organisation_from(doc) for doc in docs]
