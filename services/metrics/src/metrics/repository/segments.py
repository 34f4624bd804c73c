"""Fact segments: each consumer batch's reduced facts stored as one document (one atomic write).

The fact set is the merge of every stored segment. A redelivered batch stores a segment that overlaps
an earlier one, which the merge absorbs, so no write ever needs to be undone or coordinated with another.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from metrics.domain.facts import AttendanceFact, EventFact, Fact, FactSet, ParticipantFact
from shared.mongo.client import Document

SEGMENTS = "fact_segments"
# Keeps each document far below the 16 MiB limit (a fact encodes to ~100 bytes).
FACTS_PER_DOCUMENT = 20000


_PARTICIPANT_FIELDS = ParticipantFact.__slots__
_EVENT_FIELDS = EventFact.__slots__
_ATTENDANCE_FIELDS = AttendanceFact.__slots__


def _columns(facts: Sequence[Fact], fields: Sequence[str]) -> dict[str, list[Any]]:
    return {name: [getattr(f, name) for f in facts] for name in fields}


def encode_segment(segment_id: str, facts: Sequence[Fact]) -> Document:
    """One document holding the facts column by column, as compressed JSON.

    An opaque binary field is ~50 times cheaper for FerretDB v1 to store and load than the same values as
    BSON elements (measured: 20,000 attendances in 15 ms instead of 680 ms), and it has no nested arrays.
    """
    kinds = {
        "participants": _columns([f for f in facts if isinstance(f, ParticipantFact)], _PARTICIPANT_FIELDS),
        "events": _columns([f for f in facts if isinstance(f, EventFact)], _EVENT_FIELDS),
        "attendance": _columns([f for f in facts if isinstance(f, AttendanceFact)], _ATTENDANCE_FIELDS),
    }
    return {
        "_id": segment_id,
        "stored_at": datetime.now(UTC),
        "counts": {kind: len(next(iter(columns.values()))) for kind, columns in kinds.items()},
        "facts": Binary(zlib.compress(json.dumps(kinds, separators=(",", ":")).encode(), 1)),
    }


def _rows(columns: Document, fields: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    return zip(*(columns[name] for name in fields), strict=True)


def decode_segment(document: Document) -> list[Fact]:
    kinds = json.loads(zlib.decompress(document["facts"]))
    facts: list[Fact] = [ParticipantFact(*row) for row in _rows(kinds["participants"], _PARTICIPANT_FIELDS)]
    facts.extend(EventFact(*row) for row in _rows(kinds["events"], _EVENT_FIELDS))
    facts.extend(AttendanceFact(*row) for row in _rows(kinds["attendance"], _ATTENDANCE_FIELDS))
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

    async def load(self, facts: FactSet) -> None:
        """Merge every stored segment into `facts`."""
        async for document in self._collection.find({}, {"facts": 1}).batch_size(4):
            facts.merge(decode_segment(document))

    async def count(self) -> int:
        return await self._collection.count_documents({})
