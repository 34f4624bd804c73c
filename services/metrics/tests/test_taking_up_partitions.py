"""Taking partitions up on the real MongoDB-wire server: kept when they come back, replayed when nothing
is stored, not restored at all when they move again meanwhile."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.handlers.compactor import Compactor
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.partitions import OwnedPartitions
from metrics.repository.partition_store import PartitionStore
from shared.contracts.envelope import new_event
from shared.contracts.payloads import PARTICIPANT_ERASED, ParticipantErased
from shared.contracts.topics import Topics
from shared.kafka.consumer import Fact, Received, checked
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
        m.fact(metrics_settings.topics, offset)
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


async def test_a_newly_started_instance_waits_for_others_joining_and_restores_nothing_that_moves(
    owned: OwnedPartitions,
) -> None:
    settling = asyncio.create_task(owned.settle(30))
    await asyncio.sleep(0.05)
    assert not settling.done()  # the first assignment of an instance started with others waits...
    owned.interrupt()  # ...until another joins and a rebalance starts
    async with asyncio.timeout(5):
        await settling
    await owned.take_up({n: (0, 0, 0) for n in range(12)})
    assert owned.held == {}  # nothing restored that moved on

    owned.release(set())  # the revocation that followed
    settling = asyncio.create_task(owned.settle(30))
    await asyncio.sleep(0.05)
    assert not settling.done()  # a rebalance that is over no longer cuts a wait short
    settling.cancel()


def erasure(topics: Topics, offset: int, participant_id: str) -> Fact[Any]:
    event = new_event(
        source="/registration",
        type=PARTICIPANT_ERASED,
        subject=participant_id,
        data=ParticipantErased(
            participant_id=participant_id, programme_id="resilience", partner_id="ucl", version=2
        ),
    )
    return checked(Received(topics.participants, 0, offset, participant_id, event, None))


async def test_an_erasure_merged_while_a_snapshot_is_written_is_compacted_by_the_next(
    owned: OwnedPartitions, metrics_settings: MetricsSettings
) -> None:
    compactor = Compactor(owned, owned._store, metrics_settings)
    await owned.take_up({0: (0, 0, 0)})
    await owned.apply([erasure(metrics_settings.topics, 0, "p1")])
    held = owned.held[0]
    assert compactor.due(held, held.applied_at)  # at once, not after the quiet time

    writing = asyncio.ensure_future(compactor.compact(held))
    await asyncio.sleep(0)  # the snapshot's state is taken; it is being written
    await owned.apply([erasure(metrics_settings.topics, 1, "p2")])
    await writing

    assert held.erasures == 1
    assert compactor.due(held, held.applied_at)
    await compactor.compact(held)
    assert held.erasures == 0
    assert not compactor.due(held, held.applied_at)
