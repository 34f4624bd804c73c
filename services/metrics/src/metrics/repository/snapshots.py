"""Partition snapshots: a partition's whole state in chunks, and a head document naming the current one.

The head is switched only from the snapshot its writer started from (compare and set), so two instances
that both think they own a partition (one a zombie) never make the head lose what the other stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.mongo.client import Document

HEADS = "partition_heads"
SNAPSHOTS = "partition_snapshots"
CHUNK_BYTES = 8 * 1024 * 1024  # half of MongoDB's 16 MiB document limit


@dataclass(frozen=True)
class Head:
    """The current snapshot of a partition, the segment documents it covers and the offsets it includes."""

    partition: int
    snapshot: str
    chunks: int
    segments: tuple[str, ...]
    participants_offset: int
    attendance_offset: int


class PartitionSnapshots:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._heads = db[HEADS]
        self._chunks = db[SNAPSHOTS]

    async def create_indexes(self) -> None:
        await self._chunks.create_index("snapshot")

    async def head(self, partition: int) -> Head | None:
        document = await self._heads.find_one({"_id": partition})
        if document is None:
            return None
        return Head(
            partition=partition,
            snapshot=document["snapshot"],
            chunks=document["chunks"],
            segments=tuple(document["segments"]),
            participants_offset=document["participants_offset"],
            attendance_offset=document["attendance_offset"],
        )

    async def read(self, head: Head) -> bytes | None:
        """The snapshot's bytes, or None when some chunk is gone (a newer head replaced it meanwhile)."""
        chunks = await self._chunks.find({"snapshot": head.snapshot}).to_list()
        if len(chunks) != head.chunks:
            return None
        return b"".join(bytes(c["blob"]) for c in sorted(chunks, key=lambda c: c["index"]))

    async def write(self, partition: int, snapshot: str, blob: bytes) -> int:
        """Store the chunks of a snapshot (not yet current); returns how many."""
        pieces = [blob[i : i + CHUNK_BYTES] for i in range(0, len(blob), CHUNK_BYTES)] or [b""]
        now = datetime.now(UTC)
        await self._chunks.insert_many(
            [
                {
                    "_id": f"{snapshot}:{i}",
                    "snapshot": snapshot,
                    "partition": partition,
                    "index": i,
                    "written_at": now,
                    "blob": Binary(piece),
                }
                for i, piece in enumerate(pieces)
            ]
        )
        return len(pieces)

    async def switch(self, expected: Head | None, new: Head, owner: str) -> bool:
        """Make `new` the partition's head if `expected` still is; False when someone else switched it."""
        document = {
            "snapshot": new.snapshot,
            "chunks": new.chunks,
            "segments": list(new.segments),
            "participants_offset": new.participants_offset,
            "attendance_offset": new.attendance_offset,
            "owner": owner,
            "written_at": datetime.now(UTC),
        }
        if expected is None:
            try:
                await self._heads.insert_one({"_id": new.partition, **document})
            except DuplicateKeyError:
                return False
            return True
        switched = await self._heads.update_one(
            {"_id": new.partition, "snapshot": expected.snapshot}, {"$set": document}
        )
        return switched.matched_count == 1

    async def delete(self, snapshot: str) -> None:
        await self._chunks.delete_many({"snapshot": snapshot})

    async def delete_orphans(self, partition: int, current: str, written_before: datetime) -> None:
        """Remove chunks of snapshots that never became current (their writer stopped before switching)."""
        await self._chunks.delete_many(
            {"partition": partition, "snapshot": {"$ne": current}, "written_at": {"$lt": written_before}}
        )
