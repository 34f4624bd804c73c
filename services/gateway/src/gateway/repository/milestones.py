"""What milestones were told of each programme, so each is told once."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from gateway.domain.milestones import MilestoneState
from shared.mongo.client import Document


class MilestoneStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._states = db["webhook_milestones"]

    async def state(self, programme_id: str) -> MilestoneState:
        doc = await self._states.find_one({"_id": programme_id})
        if doc is None:
            return MilestoneState()
        return MilestoneState(dict(doc.get("levels", {})), frozenset(doc.get("targets", [])))

    async def save(self, programme_id: str, state: MilestoneState) -> None:
        await self._states.update_one(
            {"_id": programme_id},
            {"$set": {"levels": state.levels, "targets": sorted(state.targets)}},
            upsert=True,
        )
