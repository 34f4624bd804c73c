"""The fact partitions this instance owns: their facts, what they cover, and how they move.

Each consumer batch is reduced per partition and stored as one segment per partition before it is merged
and its offsets committed, so a partition's stored state (metrics.repository.partition_store) always holds
what its held state holds, apart from event facts, which come from their own topic. A crash at any
instant leaves at worst a segment whose batch is redelivered and merged again, changing nothing. A
partition taken up is kept if its held state already covers the committed offsets (it came back to this
instance), else restored from storage; either way its state includes every fact below the committed
offsets, which is what its partials claim to cover (docs/architecture.md, Metrics partitions and merge).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from metrics.domain.facts import ErasedFact, EventFact, Fact, reduce_facts
from metrics.domain.partials import programme_partials
from metrics.domain.partition_facts import PartitionFacts
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.heap import FreezeOnGrowth, give_back_memory
from metrics.handlers.incoming import fact_of
from metrics.handlers.instance_metrics import OWNED, TAKEN_UP
from metrics.repository.partition_store import PartitionStore, Restored
from metrics.repository.segments import Segment
from metrics.repository.snapshots import Head
from shared.contracts.partials import PartialCoverage, PartitionPartial
from shared.contracts.topics import Topics
from shared.kafka import consumer
from shared.kafka.consumer import Received
from shared.runtime.heap import freeze_long_lived

log = logging.getLogger(__name__)

FREEZE_STEP = 50_000
ABSORB_CHUNK = 10_000

Committed = tuple[int, int, int]  # next offsets of a partition of participants, attendance and keys


def _partition_facts(batch: Sequence[consumer.Fact[Any]]) -> list[Fact]:
    """The participant and attendance facts of a partition's batch (event facts come from their topic)."""
    facts: list[Fact] = []
    for consumed in batch:
        try:
            fact = fact_of(consumed)
        except ValueError as error:  # a published key that is not one: it never counts
            received = consumed.received
            log.warning(
                "skipped %s at %s@%d: %s", received.event.type, received.topic, received.offset, error
            )
            continue
        if fact is not None and not isinstance(fact, EventFact):
            facts.append(fact)
    return facts


def segment_name(records: Sequence[Received]) -> str:
    """Names a batch by its offset ranges, so the very same batch redelivered is recognised."""
    ranges: dict[str, tuple[int, int]] = {}
    for r in records:
        low, high = ranges.get(r.topic, (r.offset, r.offset))
        ranges[r.topic] = (min(low, r.offset), max(high, r.offset))
    text = ";".join(f"{t}:{lo}-{hi}" for t, (lo, hi) in sorted(ranges.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(eq=False)
class OwnedPartition:
    """One partition's held state, what it is known to cover, and what its next snapshot starts from."""

    number: int
    facts: PartitionFacts
    head: Head | None
    segments: set[str]  # stored segments merged in beyond the head
    participants_offset: int
    attendance_offset: int
    keys_offset: int
    tail: int = 0  # facts merged since the head
    applied_at: float = field(default_factory=time.monotonic)
    revision: int = 0  # moves whenever its figures or coverage may have moved
    published: int = -1
    live: bool = True  # owned now, so its partials are published
    erasures: int = 0  # batches with erasures merged since the head: compact now, so no key stays stored

    def touch(self) -> None:
        self.revision += 1


class OwnedPartitions:
    def __init__(self, store: PartitionStore, feed: EventsFeed, topics: Topics, instance_id: str) -> None:
        self._store = store
        self._feed = feed
        self._topics = topics
        self.instance_id = instance_id
        self.generation = -1
        self.held: dict[int, OwnedPartition] = {}
        self.changed = asyncio.Event()
        self._heap = FreezeOnGrowth(FREEZE_STEP)
        self._interrupted = False
        self._moving = asyncio.Event()

    def owns(self, partition: int) -> bool:
        """True while this instance owns the fact partition of that number."""
        state = self.held.get(partition)
        return state is not None and state.live

    def facts_held(self) -> int:
        return sum(len(state.facts) for state in self.held.values())

    async def apply(self, batch: Sequence[consumer.Fact[Any]]) -> None:
        """Store each partition's facts of the batch as a segment, then merge them; safe to repeat."""
        by_partition: dict[int, list[consumer.Fact[Any]]] = {}
        for consumed in batch:
            by_partition.setdefault(consumed.received.partition, []).append(consumed)
        delivered = {p: [consumed.received for consumed in here] for p, here in by_partition.items()}
        reduced = {p: reduce_facts(_partition_facts(here)) for p, here in by_partition.items()}
        segments = [Segment(p, segment_name(delivered[p]), facts) for p, facts in reduced.items() if facts]
        stored = await self._store.store(segments)
        for partition, records in delivered.items():
            state = self.held.get(partition)
            if state is None:
                log.error(
                    "a batch of partition %d, which this instance does not hold, was dropped", partition
                )
                continue
            state.facts.merge(reduced[partition])
            state.segments.update(stored.get(partition, ()))
            state.tail += len(reduced[partition])
            state.erasures += any(isinstance(fact, ErasedFact) for fact in reduced[partition])
            self._advance(state, records)
        self._heap.grown_to(self.facts_held())
        self.changed.set()

    def _advance(self, state: OwnedPartition, records: Sequence[Received]) -> None:
        for received in records:
            if received.topic == self._topics.participants:
                state.participants_offset = max(state.participants_offset, received.offset + 1)
            elif received.topic == self._topics.attendance:
                state.attendance_offset = max(state.attendance_offset, received.offset + 1)
            elif received.topic == self._topics.participant_keys:
                state.keys_offset = max(state.keys_offset, received.offset + 1)
        state.applied_at = time.monotonic()
        state.touch()

    def events_read(self, changed: list[EventFact]) -> None:
        """Merge changed event facts into every held partition; every partial's coverage has moved."""
        for state in self.held.values():
            state.facts.merge(changed)
            state.touch()
        self.changed.set()

    async def take_up(self, committed: dict[int, Committed]) -> set[int]:
        """Hold exactly these partitions, each covering at least its committed offsets (participants,
        attendance, keys); returns those whose storage was unreadable, to be consumed again from the start."""
        dropped = set(self.held) - set(committed)
        for partition in dropped:
            del self.held[partition]  # moved to another instance, which restores it from storage
        if dropped:
            give_back_memory()
        replay: set[int] = set()
        for partition, (participants, attendance, keys) in sorted(committed.items()):
            if self._interrupted:
                break  # these partitions are moving again: the next assignment takes up what stays
            state = self.held.get(partition)
            if (
                state is None
                or state.participants_offset < participants
                or state.attendance_offset < attendance
                or state.keys_offset < keys
            ):
                restored = await self._store.restore(partition)
                if restored.replay or (restored.empty and (participants or attendance or keys)):
                    log.warning(
                        "partition %d has nothing readable stored; replaying it from Kafka", partition
                    )
                    replay.add(partition)
                    participants = attendance = keys = 0
                state = self._install(partition, restored, (participants, attendance, keys))
                TAKEN_UP.inc()
                freeze_long_lived()  # just loaded to stay: out of the collector's passes at once
            state.live = True
            state.touch()  # published again, under this generation, even if nothing moved
        self._heap.grown_to(self.facts_held())
        OWNED.set(sum(state.live for state in self.held.values()))
        self.changed.set()
        return replay

    def _install(self, partition: int, restored: Restored, offsets: Committed) -> OwnedPartition:
        restored.facts.merge(self._feed.events.values())
        state = OwnedPartition(
            number=partition,
            facts=restored.facts,
            head=restored.head,
            segments=restored.segments,
            participants_offset=offsets[0],
            attendance_offset=offsets[1],
            keys_offset=offsets[2],
            tail=restored.tail,
        )
        self.held[partition] = state
        return state

    def interrupt(self) -> None:
        """The partitions being taken up are moving again: stop restoring them."""
        self._interrupted = True
        self._moving.set()

    async def settle(self, seconds: float) -> None:
        """Wait up to `seconds` before taking up partitions, less if they start moving meanwhile."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._moving.wait()

    def release(self, partitions: set[int]) -> None:
        """Stop publishing partitions that may move; their state stays until the next assignment."""
        self._interrupted = False
        self._moving.clear()
        for partition in partitions:
            if partition in self.held:
                self.held[partition].live = False
        OWNED.set(sum(state.live for state in self.held.values()))

    async def absorb(self, state: OwnedPartition, restored: Restored) -> None:
        """Merge a partition's stored state into the held one (another instance stored it meanwhile)."""
        facts = restored.facts.all_facts()
        for start in range(0, len(facts), ABSORB_CHUNK):
            state.facts.merge(facts[start : start + ABSORB_CHUNK])
            await asyncio.sleep(0)  # merging is order-free: batches may be applied in between
        state.head = restored.head
        state.segments |= restored.segments
        state.touch()
        self.changed.set()

    def partial(self, state: OwnedPartition) -> PartitionPartial:
        return PartitionPartial(
            partition=state.number,
            covers=PartialCoverage(
                participants=state.participants_offset,
                attendance=state.attendance_offset,
                keys=state.keys_offset,
                events=dict(self._feed.offsets),
            ),
            owner=self.instance_id,
            generation=self.generation,
            published_at=datetime.now(UTC),
            programmes=programme_partials(state.facts, self._feed.ranks),
        )
