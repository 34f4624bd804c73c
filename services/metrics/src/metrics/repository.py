"""Fact segments: each consumer batch's reduced facts stored as one document (one atomic write).

The fact set is the merge of every stored segment. A redelivered batch stores a segment that overlaps
an earlier one, which the merge absorbs, so no write ever needs to be undone or coordinated with another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from metrics.domain.facts import AttendanceFact, EventFact, Fact, FactSet, ParticipantFact
from shared.mongo.client import Document

SEGMENTS = "fact_segments"
# Keeps each document far below the 16 MiB limit (a fact encodes to ~100 bytes).
FACTS_PER_DOCUMENT = 20000


def encode_segment(segment_id: str, facts: Sequence[Fact]) -> Document:
    """Compact rows, one list per kind of fact, in field order."""
    participants: list[list[Any]] = []
    events: list[list[Any]] = []
    attendance: list[list[Any]] = []
    for f in facts:
        if isinstance(f, AttendanceFact):
            attendance.append([f.programme_id, f.event_id, f.participant_id, f.checked_in_at])
        elif isinstance(f, ParticipantFact):
            participants.append(
                [
                    f.participant_id,
                    f.programme_id,
                    f.version,
                    f.role,
                    f.organisation_id,
                    f.gender,
                    f.ethnicity,
                ]
            )
        else:
            events.append(
                [f.event_id, f.programme_id, f.version, f.partner_id, f.kind, f.nation, f.cancelled]
            )
    return {
        "_id": segment_id,
        "stored_at": datetime.now(UTC),
        "participants": participants,
        "events": events,
        "attendance": attendance,
    }


def decode_segment(document: Document) -> list[Fact]:
    facts: list[Fact] = [ParticipantFact(*row) for row in document.get("participants", ())]
    facts.extend(EventFact(*row) for row in document.get("events", ()))
    facts.extend(AttendanceFact(*row) for row in document.get("attendance", ()))
    return facts


class FactSegments:
    """The metrics database's only collection of record; everything else is derived in memory."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[SEGMENTS]

    async def store(self, segment_id: str, facts: Sequence[Fact]) -> None:
        """Store facts in one or more documents; storing the same segment twice is a no-op."""
        for start in range(0, len(facts), FACTS_PER_DOCUMENT):
            chunk = facts[start : start + FACTS_PER_DOCUMENT]
            # A duplicate key means it was stored before a crash, then redelivered as the very same batch.
            with contextlib.suppress(DuplicateKeyError):
                await self._collection.insert_one(encode_segment(f"{segment_id}/{start}", chunk))

    async def load(self) -> FactSet:
        """Merge every stored segment into a fresh fact set."""
        facts = FactSet()
        async for document in self._collection.find({}, {"stored_at": 0}).batch_size(4):
            facts.merge(decode_segment(document))
        return facts

    async def count(self) -> int:
        return await self._collection.count_documents({})
