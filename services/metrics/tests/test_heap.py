"""The fact set leaves the garbage collector's sight as it grows, so full passes no longer walk it."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator

import pytest
from testkit.collector import walked_by_collector
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.handlers import partitions as partitions_module
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.heap import FreezeOnGrowth
from metrics.handlers.partitions import OwnedPartitions
from metrics.repository.partition_store import PartitionStore
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour
from shared.runtime.heap import FULL_PASS_EVERY


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_heap_is_frozen_each_time_the_size_has_grown_by_a_step() -> None:
    heap = FreezeOnGrowth(step=100)
    first = [1]
    assert not heap.grown_to(99)
    assert walked_by_collector(first)

    assert heap.grown_to(100)
    assert not walked_by_collector(first)
    assert gc.get_threshold()[2] == FULL_PASS_EVERY

    second = [2]
    assert not heap.grown_to(199)
    assert walked_by_collector(second)
    assert heap.grown_to(230)
    assert not walked_by_collector(second)


@pytest.mark.integration
async def test_folded_and_restored_facts_are_out_of_the_collectors_sight(
    metrics_settings: MetricsSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partitions_module, "FREEZE_STEP", 50)
    programme = generate_programme(random.Random(5), participants=30, events=4, attendances=60)
    topics = metrics_settings.topics
    batch = [
        message.fact(topics, offset)
        for offset, message in enumerate(programme.messages)
        if message.topic != "events"
    ]
    mongo = make_mongo_client(metrics_settings.mongo_url)
    try:
        store = PartitionStore(mongo[metrics_settings.database_name], MongoFlavour(mongo), "instance")
        folding = OwnedPartitions(store, EventsFeed(), topics, "instance")
        await folding.take_up({0: (0, 0, 0)})
        await folding.apply(batch)
        held = folding.held[0].facts
        assert len(held) >= 50
        assert not any(walked_by_collector(p) for p in held.participants.values())
        assert not any(walked_by_collector(key) for key in held.attendance)

        gc.unfreeze()
        restarted = OwnedPartitions(store, EventsFeed(), topics, "instance")
        await restarted.take_up({0: (0, 0, 0)})
        restored = restarted.held[0].facts
        assert restored.state() == held.state()
        assert not any(walked_by_collector(key) for key in restored.attendance)
    finally:
        await mongo.close()
