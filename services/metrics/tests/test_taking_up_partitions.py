"""Taking partitions up on the real MongoDB-wire server: kept when they come back, replayed when nothing
is stored, not restored at all when they move again meanwhile."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.partitions import OwnedPartitions
from metrics.repository.partition_store import PartitionStore
from shared.kafka.consumer import Received
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

pytestmark = pytest.mark.integration


@pytest.fixture
async def owned(metrics_settings: MetricsSettings) -> AsyncIterator[OwnedPartitions]:
    mongo = make_mongo_client(metrics_settings.mongo_url)
    store = PartitionStore(mongo[metrics_settings.database_name], MongoFlavour(mongo), "instance")
    await store.prepare()
    yield OwnedPartitions(store, EventsFeed(), metrics_settings.topics, "instance")
    await mongo.close()


async def test_a_partition_coming_back_is_kept_and_one_with_nothing_stored_is_replayed(
    owned: OwnedPartitions, metrics_settings: MetricsSettings
) -> None:
    programme = generate_programme(random.Random(2), participants=20, events=3, attendances=50)
    batch = [
        Received(getattr(metrics_settings.topics, m.topic), 0, offset, m.key, m.event(), None)
        for offset, m in enumerate(programme.messages)
        if m.topic == "attendance"
    ]
    await owned.take_up({0: (0, 0, 0)})
    await owned.apply(batch)
    held = owned.held[0]

    replay = await owned.take_up({0: (0, len(batch), 0), 1: (4, 9, 0)})

    assert owned.held[0] is held  # it covers the committed offsets: nothing to restore
    assert replay == {1}  # offsets committed, nothing stored (a dropped database, an earlier layout)
    assert (owned.held[1].participants_offset, owned.held[1].attendance_offset) == (0, 0)


async def test_partitions_moving_again_while_taken_up_are_not_restored(owned: OwnedPartitions) -> None:
    owned.interrupt()  # a rebalance started
    await owned.take_up({0: (0, 0, 0), 1: (0, 0, 0)})
    assert owned.held == {}

    owned.release(set())  # the revocation that followed
    await owned.take_up({0: (0, 0, 0), 1: (0, 0, 0)})
    assert set(owned.held) == {0, 1}
