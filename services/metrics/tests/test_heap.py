"""The fact set leaves the garbage collector's sight as it grows, so full passes no longer walk it."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator

import pytest
from testkit.collector import walked_by_collector
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.handlers import projection as projection_module
from metrics.handlers.heap import FreezeOnGrowth
from metrics.handlers.projection import Projection
from metrics.repository.segments import FactSegments
from shared.kafka.consumer import Received
from shared.mongo.client import make_mongo_client
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
async def test_folded_and_loaded_facts_are_out_of_the_collectors_sight(
    metrics_settings: MetricsSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projection_module, "FREEZE_STEP", 50)
    programme = generate_programme(random.Random(5), participants=30, events=4, attendances=60)
    batch = [
        Received(message.topic, 0, offset, message.key, message.event(), None)
        for offset, message in enumerate(programme.messages)
    ]
    mongo = make_mongo_client(metrics_settings.mongo_url)
    try:
        segments = FactSegments(mongo[metrics_settings.database_name])
        folding = Projection(segments, metrics_settings)
        await folding.load()
        await folding.apply(batch)
        assert len(folding.facts) >= 50
        assert not any(walked_by_collector(fact) for fact in folding.facts.all_facts())

        gc.unfreeze()
        restarted = Projection(segments, metrics_settings)
        await restarted.load()
        assert restarted.facts == folding.facts
        assert not any(walked_by_collector(fact) for fact in restarted.facts.all_facts())
    finally:
        await mongo.close()
