"""The batch outbox against the real database and broker: each stored document's event published once,
and none lost wherever a writer stops."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError
from testkit.outbox_parts import GatedProducer, OutboxParts
from testkit.tasks import cancel_and_wait

from shared.mongo.batch_outbox import BATCH_FIELD, BATCHES, BLOBS, Batch, BatchOutbox
from shared.mongo.client import Document

pytestmark = pytest.mark.integration
COLLECTION = "batched"


@contextlib.asynccontextmanager
async def running(relay: BatchOutbox) -> AsyncIterator[None]:
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        await cancel_and_wait(task)


def inserter(
    coll: AsyncCollection[Document], only: range | None = None
) -> Callable[[list[Document]], Awaitable[list[int]]]:
    """Inserts a slice (only the documents numbered in `only`: a writer stopping midway); returns refusals."""

    async def insert_slice(docs: list[Document]) -> list[int]:
        try:
            await coll.insert_many([d for d in docs if only is None or d["_id"] in only], ordered=False)
        except BulkWriteError as exc:
            return [e["index"] for e in exc.details["writeErrors"]]
        return []

    return insert_slice


def outbox_of(outbox: OutboxParts, **options: Any) -> BatchOutbox:
    """A batch outbox for the test's collection, whose document `n` has the event of attendance `a<n>`."""
    return BatchOutbox(
        outbox.producer, outbox.db, {COLLECTION: outbox.batch_message}, flavour=outbox.flavour, **options
    )


def docs(batch_id: str, numbers: range) -> list[Document]:
    return [{"_id": n, BATCH_FIELD: batch_id} for n in numbers]


async def write(
    relay: BatchOutbox,
    coll: AsyncCollection[Document],
    batch_id: str,
    numbers: range,
    *,
    inserted: range | None = None,
) -> tuple[Batch, list[int]]:
    """A writer's batch of documents `numbers`, of which it inserts only `inserted` when it stops midway."""
    return await relay.insert_many(coll, batch_id, docs(batch_id, numbers), inserter(coll, inserted))


async def outbox_left(outbox: OutboxParts) -> int:
    """Batches and event blobs still recorded, once the relay has had a few seconds to delete them."""
    for _ in range(100):
        if not await outbox.db[BATCHES].count_documents({}) + await outbox.db[BLOBS].count_documents({}):
            break
        await asyncio.sleep(0.05)
    return await outbox.db[BATCHES].count_documents({}) + await outbox.db[BLOBS].count_documents({})


async def test_the_events_of_the_documents_a_batch_stored_are_published_once(outbox: OutboxParts) -> None:
    coll = outbox.db[COLLECTION]
    await coll.insert_one({"_id": 7, BATCH_FIELD: "an earlier batch"})
    relay = outbox_of(outbox, idle_scan_interval_s=60)
    numbers = range(1, 1202)  # two slices of at most 1,000
    async with running(relay):
        batch, refused = await write(relay, coll, "b1", numbers)
        await relay.stored(batch, [d for d in docs("b1", numbers) if d["_id"] != 7])
        published = await outbox.published(1200, timeout_s=10)  # well before the idle scan
        with pytest.raises(TimeoutError):
            await outbox.published(1201, timeout_s=2)
        left = await outbox_left(outbox)

    assert refused == [6]  # document 7, another batch's
    assert batch.blobs == 2
    assert sorted(published) == sorted(f"a{n}" for n in numbers if n != 7)
    assert left == 0


async def test_batches_a_stopped_writer_left_publish_the_documents_it_stored(outbox: OutboxParts) -> None:
    coll = outbox.db[COLLECTION]
    stopped = outbox_of(outbox)  # never runs: its process stopped
    done, _ = await write(stopped, coll, "done", range(1, 4))
    await stopped.stored(done, docs("done", range(1, 4)))  # held, never sent
    await coll.insert_one({"_id": 5, BATCH_FIELD: "an earlier batch"})  # its event is not this batch's
    await write(stopped, coll, "midway", range(4, 7), inserted=range(4, 5))  # stopped inserting

    # The next relay publishes a finished batch at its start; an unfinished one may still be writing.
    async with running(outbox_of(outbox, abandoned_after_s=60)):
        first = await outbox.published(3, timeout_s=10)
        with pytest.raises(TimeoutError):
            await outbox.published(4, timeout_s=2)
    # Once it is old enough to be abandoned, only the document its writer did store is published.
    assert await outbox_of(outbox, abandoned_after_s=0).recover() == 1

    assert sorted(first) == ["a1", "a2", "a3"]
    assert (await outbox.published(4))[-1] == "a4"
    assert await outbox_left(outbox) == 0


async def test_a_writer_whose_batch_a_scan_took_up_still_publishes_what_it_inserted_since(
    outbox: OutboxParts,
) -> None:
    coll = outbox.db[COLLECTION]
    writer = outbox_of(outbox, idle_scan_interval_s=60)
    async with running(writer):
        batch, _ = await write(writer, coll, "slow", range(1, 5), inserted=range(1, 3))
        # Another relay takes the batch for abandoned and publishes the two documents stored so far...
        assert await outbox_of(outbox, abandoned_after_s=0).recover() == 2
        await coll.insert_many(
            [{"_id": n, BATCH_FIELD: "slow"} for n in (3, 4)]
        )  # ...then the writer goes on
        await writer.stored(batch, docs("slow", range(1, 5)))
        published = await outbox.published_events(6, timeout_s=10)
        left = await outbox_left(outbox)

    by_attendance: dict[str, list[Document]] = {}
    for event in published:
        by_attendance.setdefault(event["data"]["attendance_id"], []).append(event)
    assert {a: len(events) for a, events in by_attendance.items()} == {"a1": 2, "a2": 2, "a3": 1, "a4": 1}
    # Published twice, by the scan and by the writer, as the very same event: consumers absorb it.
    assert all(first == again for first, again in (by_attendance["a1"], by_attendance["a2"]))
    assert left == 0


async def test_a_batch_past_the_relays_bound_is_published_from_its_record(outbox: OutboxParts) -> None:
    coll = outbox.db[COLLECTION]
    relay = outbox_of(outbox, idle_scan_interval_s=60, max_held=2)
    async with running(relay):
        batch, _ = await write(relay, coll, "big", range(1, 4))
        await relay.stored(batch, docs("big", range(1, 4)))  # three: more than it holds
        published = await outbox.published(3, timeout_s=10)  # read back at once, not at the idle scan
        left = await outbox_left(outbox)

    assert sorted(published) == ["a1", "a2", "a3"]
    assert left == 0


def gauge(name: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"collection": BATCHES})


async def test_the_outbox_gauges_show_what_waits_to_be_sent_until_it_is_sent(outbox: OutboxParts) -> None:
    coll = outbox.db[COLLECTION]
    producer = GatedProducer(outbox.settings.kafka)  # holds every send until the gate opens
    relay = BatchOutbox(
        producer,
        outbox.db,
        {COLLECTION: outbox.batch_message},
        flavour=outbox.flavour,
        idle_scan_interval_s=60,
    )
    try:
        async with running(relay):
            batch, _ = await write(relay, coll, "held", range(1, 4))
            await relay.stored(batch, docs("held", range(1, 4)))
            await asyncio.wait_for(producer.waiting.wait(), 5)
            await asyncio.sleep(1.1)
            waiting, age = gauge("pulse_outbox_backlog"), gauge("pulse_outbox_backlog_age_seconds")
            producer.gate.set()
            await outbox.published(3, timeout_s=10)
            await asyncio.wait_for(producer.sent.wait(), 5)  # the relay counts them sent as the send returns
            after = gauge("pulse_outbox_backlog"), gauge("pulse_outbox_backlog_age_seconds")
    finally:
        await producer.stop()

    assert waiting == 3
    assert (age or 0) >= 1
    assert after == (0, 0)
