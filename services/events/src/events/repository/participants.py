"""The participants registration made known to this service, and those it erased."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from events.handlers.storage import KnownParticipant
from events.repository.documents import known_participant_fields
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

# Participant ids held as known, at most: ~30 MB. Past it the holding starts again empty.
MAX_HELD_KNOWN = 200_000


class MongoParticipantStore:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour) -> None:
        self.collection: AsyncCollection[Document] = db["participants"]
        # The ids of erased participants, and nothing else: small, so asking it every time costs little.
        self.erased: AsyncCollection[Document] = db["erased_participants"]
        self._flavour = flavour
        # A participant once known stays known (erasure keeps its pseudonymous id), so what this process
        # found or wrote is held: FerretDB spent ~50 us of CPU per participant a bulk batch looked up.
        self._known: set[str] = set()

    async def known(self, participant_ids: Collection[str]) -> set[str]:
        wanted = set(participant_ids)
        held = wanted & self._known
        if len(held) == len(wanted):
            return held
        docs = await self._flavour.find_in(self.collection, "_id", wanted - held, {"_id": 1})
        found = {doc["_id"] for doc in docs}
        self._hold_known(found)
        return held | found

    async def remember(self, participants: Mapping[str, KnownParticipant]) -> None:
        """Upsert each participant's fields, in one round trip."""
        if participants:
            ops = [
                UpdateOne({"_id": pid}, {"$set": known_participant_fields(known)}, upsert=True)
                for pid, known in participants.items()
            ]
            await self._flavour.retrying(lambda: self.collection.bulk_write(ops, ordered=False))
            self._hold_known(participants.keys())

    async def erased_among(self, participant_ids: Collection[str]) -> set[str]:
        """Which of these participants were erased, asked of the database every time.

        The participants consumer is a group: the instance that consumed an erasure may be another one, so
        no instance may answer this from what it holds (docs/privacy.md, Erasure in events).
        """
        docs = await self._flavour.find_in(self.erased, "_id", set(participant_ids), {"_id": 1})
        return {doc["_id"] for doc in docs}

    async def remember_erasures(self, participant_ids: Collection[str]) -> None:
        if participant_ids:
            ops = [
                UpdateOne({"_id": pid}, {"$set": {"erased": True}}, upsert=True) for pid in participant_ids
            ]
            await self._flavour.retrying(lambda: self.erased.bulk_write(ops, ordered=False))

    def _hold_known(self, participant_ids: Collection[str]) -> None:
        if len(self._known) + len(participant_ids) > MAX_HELD_KNOWN:
            self._known.clear()
        self._known.update(participant_ids)
