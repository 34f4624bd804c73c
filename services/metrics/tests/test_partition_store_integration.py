"""A partition's stored state on the real MongoDB-wire server: segments, snapshots, crashes and rivals."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest
from bson import Binary
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.domain.facts import Fact, attendance_fact, participant_fact
from metrics.domain.partition_facts import PartitionFacts
from metrics.repository import snapshots as snapshots_module
from metrics.repository.codec import compress, state_bytes
from metrics.repository.partition_store import PartitionStore
from metrics.repository.segments import Segment
from shared.contracts.payloads import AttendanceRecorded, ParticipantChanged
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

pytestmark = pytest.mark.integration


def facts_of(seed: int) -> list[Fact]:
    programme = generate_programme(random.Random(seed), participants=60, events=8, attendances=400)
    facts: list[Fact] = []
    for message in programme.messages:
        if isinstance(message.payload, AttendanceRecorded):
            facts.append(attendance_fact(message.payload))
        elif isinstance(message.payload, ParticipantChanged):
            facts.append(participant_fact(message.payload))
    return facts


def merged(*batches: list[Fact]) -> PartitionFacts:
    facts = PartitionFacts()
    for batch in batches:
        facts.merge(batch)
    return facts


@pytest.fixture
async def store(metrics_settings: MetricsSettings) -> AsyncIterator[PartitionStore]:
    mongo = make_mongo_client(metrics_settings.mongo_url)
    store = PartitionStore(mongo[metrics_settings.database_name], MongoFlavour(mongo), "instance-a")
    await store.prepare()
    yield store
    await mongo.close()


async def compact(store: PartitionStore, partition: int) -> None:
    restored = await store.restore(partition)
    raw = state_bytes(restored.facts)
    assert await store.compact(partition, raw, restored.head, restored.segments, (0, 0)) is not None


async def test_stored_segments_restore_as_the_merge_of_every_fact_whatever_overlaps(
    store: PartitionStore,
) -> None:
    facts = facts_of(3)
    await store.store([Segment(0, "a", facts[:300])])
    await store.store([Segment(0, "a", facts[:300])])  # the very same batch, redelivered after a crash
    await store.store([Segment(0, "b", facts[150:]), Segment(1, "b", facts_of(4))])  # cut differently
    await store.store([Segment(0, "c", list(reversed(facts[::3])))])

    restored = await store.restore(0)

    assert restored.facts.state() == merged(facts).state()
    assert len(restored.segments) == await store.segments.count(0) == 3
    assert restored.head is None
    assert not restored.replay


async def test_compaction_keeps_every_fact_and_drops_the_segments_it_covers(store: PartitionStore) -> None:
    facts = facts_of(5)
    await store.store([Segment(2, "a", facts[:200])])
    await store.store([Segment(2, "b", facts[200:400])])
    await compact(store, 2)
    await store.store([Segment(2, "c", facts[400:])])
    first_head = await store.snapshots.head(2)
    await compact(store, 2)

    restored = await store.restore(2)

    assert restored.facts.state() == merged(facts).state()
    assert await store.segments.count(2) == 0
    assert first_head is not None
    assert await store.snapshots.read(first_head) is None


async def test_a_crash_after_switching_the_head_before_deleting_leaves_every_fact(
    store: PartitionStore,
) -> None:
    facts = facts_of(6)
    await store.store([Segment(0, "a", facts[:250])])
    restored = await store.restore(0)
    chunks = await store.snapshots.write(0, "crashed", compress(state_bytes(restored.facts)))
    head = snapshots_module.Head(0, "crashed", chunks, tuple(restored.segments), 0, 0)
    assert await store.snapshots.switch(None, head, "instance-a")
    # ... the process died here: the covered segment is still stored beside the snapshot that holds it.
    await store.store([Segment(0, "b", facts[250:])])

    again = await store.restore(0)

    assert again.facts.state() == merged(facts).state()


async def test_two_instances_compacting_one_partition_never_lose_a_fact(store: PartitionStore) -> None:
    facts = facts_of(7)
    await store.store([Segment(0, "first", facts[:100])])
    zombie, owner = await store.restore(0), await store.restore(0)
    await store.store([Segment(0, "owner", facts[100:300])])
    owner.facts.merge(facts[100:300])
    won = await store.compact(0, state_bytes(owner.facts), owner.head, owner.segments | {"0:owner:0"}, (3, 3))
    await store.store([Segment(0, "zombie", facts[300:])])
    zombie.facts.merge(facts[300:])
    lost = await store.compact(
        0, state_bytes(zombie.facts), zombie.head, zombie.segments | {"0:zombie:0"}, (9, 9)
    )

    restored = await store.restore(0)

    assert won is not None
    assert lost is None
    assert restored.facts.state() == merged(facts).state()
    assert restored.head == won


async def test_a_snapshot_in_many_chunks_and_an_unreadable_one(
    store: PartitionStore, monkeypatch: pytest.MonkeyPatch, metrics_settings: MetricsSettings
) -> None:
    monkeypatch.setattr(snapshots_module, "CHUNK_BYTES", 1000)
    facts = facts_of(8)
    await store.store([Segment(1, "a", facts)])
    await compact(store, 1)
    head = await store.snapshots.head(1)
    assert head is not None
    assert head.chunks > 3
    assert (await store.restore(1)).facts.state() == merged(facts).state()

    mongo = make_mongo_client(metrics_settings.mongo_url)
    chunks = mongo[metrics_settings.database_name][snapshots_module.SNAPSHOTS]
    await chunks.update_one({"snapshot": head.snapshot, "index": 1}, {"$set": {"blob": Binary(b"garbage")}})
    await mongo.close()
    await store.store([Segment(1, "b", facts[:10])])
    unreadable = await store.restore(1)

    assert unreadable.replay
    assert not unreadable.facts.state()["attendance"]
    assert unreadable.segments == {"1:b:0"}  # dropped by the next compaction of the replayed partition
