"""A partition's stored state: its head snapshot plus the segments stored after it.

Compaction writes a new snapshot, switches the head to it, then deletes what it covers; a crash between
any two steps leaves a head whose snapshot and remaining segments still hold every fact (extra segments are
merged again, harmlessly). A restore that finds the head switched while it read starts again, since the
segments it was reading may have been deleted. Storage is a cache of Kafka: a partition whose stored state
cannot be read is replayed from the beginning of its topics instead.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from metrics.domain.partition_facts import PartitionFacts
from metrics.repository.codec import UnreadableBlob, compress, decode_state
from metrics.repository.segments import FactSegments, Segment
from metrics.repository.snapshots import Head, PartitionSnapshots
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

log = logging.getLogger(__name__)

RESTORE_ATTEMPTS = 10
ORPHAN_AGE = timedelta(hours=1)


@dataclass
class Restored:
    """A partition's facts as stored, and what its next compaction starts from."""

    facts: PartitionFacts
    head: Head | None
    segments: set[str] = field(default_factory=set)
    tail: int = 0  # facts merged from those segments
    replay: bool = False  # unreadable: consume the partition again from its beginning

    @property
    def empty(self) -> bool:
        """Nothing stored: a new partition, or a database that was dropped or written by an earlier layout."""
        return self.head is None and not self.segments


class PartitionStore:
    def __init__(self, db: AsyncDatabase[Document], flavour: MongoFlavour, owner: str) -> None:
        self.segments = FactSegments(db, flavour)
        self.snapshots = PartitionSnapshots(db)
        self._owner = owner

    async def prepare(self) -> None:
        await self.segments.prepare()
        await self.snapshots.create_indexes()

    async def store(self, segments: list[Segment]) -> dict[int, list[str]]:
        return await self.segments.store(segments)

    async def restore(self, partition: int) -> Restored:
        """The partition's snapshot with its later segments merged in."""
        for _ in range(RESTORE_ATTEMPTS):
            head = await self.snapshots.head(partition)
            try:
                restored = await self._read(partition, head)
            except UnreadableBlob as exc:
                log.error("partition %d's stored state is unreadable (%s); replaying it", partition, exc)
                return Restored(PartitionFacts(), head, await self.segments.ids(partition), replay=True)
            if restored is not None and await self.snapshots.head(partition) == head:
                return restored
            await asyncio.sleep(0.05)  # compacted meanwhile: what was read may be gone
        raise RuntimeError(f"partition {partition}'s head kept changing while it was read")

    async def _read(self, partition: int, head: Head | None) -> Restored | None:
        facts = PartitionFacts()
        if head is not None:
            blob = await self.snapshots.read(head)
            if blob is None:
                return None
            facts = decode_state(blob)
        stored = await self.segments.load(partition, skip=set(head.segments) if head else set())
        for segment in stored:
            facts.merge(segment.facts)
        return Restored(facts, head, {s.id for s in stored}, tail=sum(len(s.facts) for s in stored))

    async def compact(
        self, partition: int, raw: bytes, expected: Head | None, covered: set[str], offsets: tuple[int, int]
    ) -> Head | None:
        """Make `raw` (the state holding `expected` and `covered`) the partition's head; None if beaten to it."""
        blob = await asyncio.to_thread(compress, raw)
        snapshot = uuid.uuid4().hex
        new = Head(
            partition=partition,
            snapshot=snapshot,
            chunks=await self.snapshots.write(partition, snapshot, blob),
            segments=tuple(sorted(covered)),
            participants_offset=offsets[0],
            attendance_offset=offsets[1],
        )
        if not await self.snapshots.switch(expected, new, self._owner):
            await self.snapshots.delete(snapshot)
            return None
        await self.segments.delete(new.segments)
        if expected is not None:
            await self.snapshots.delete(expected.snapshot)
        await self.snapshots.delete_orphans(partition, snapshot, datetime.now(UTC) - ORPHAN_AGE)
        return new
