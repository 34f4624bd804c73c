"""The shared Kafka helpers against the real broker."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

import pytest
from testkit.builders import attendance
from testkit.kafka_reading import read_all, read_exactly

from shared.contracts.envelope import new_event
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    EVENT_SCHEDULED,
    AttendanceRecorded,
)
from shared.kafka.consumer import ConsumerLoop, Fact, FactHandler, on
from shared.kafka.producer import Encoded, EventProducer, Outgoing, encode, partition_for
from shared.kafka.progress import ReadProgress
from shared.kafka.topics_admin import ensure_topics
from shared.settings import BaseServiceSettings

pytestmark = pytest.mark.integration


async def topics_and_producer(
    make_settings: Callable[..., Any], partitions: int = 1
) -> tuple[BaseServiceSettings, EventProducer]:
    """This test's own topics (created) and a producer to them."""
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=partitions, replication=1)
    return settings, EventProducer(settings.kafka, "test")


def attendance_loop(
    settings: BaseServiceSettings,
    handler: FactHandler[AttendanceRecorded],
    producer: EventProducer,
    gather_ms: int = 0,
    wanted: Callable[[], Awaitable[Collection[str]]] | None = None,
) -> ConsumerLoop:
    """A consumer loop of its own group over the attendance topic, taking recorded attendance only."""
    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}g",
        topics=[settings.topics.attendance],
        handlers=on(AttendanceRecorded, handler),
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
        gather_ms=gather_ms,
        wanted=wanted,
    )


async def test_a_cloudevent_goes_through_the_broker_and_back(make_settings: Callable[..., Any]) -> None:
    settings, producer = await topics_and_producer(make_settings)
    event = new_event(source="/test", type=ATTENDANCE_RECORDED, subject="p1", data=attendance(1))
    try:
        await producer.send([Outgoing(settings.topics.attendance, "p1", event)], request_id="req-42")
    finally:
        await producer.stop()

    [record] = await read_all(settings.kafka_bootstrap, settings.topics.attendance, 1)
    body = json.loads(record.value)
    assert body["specversion"] == "1.0"
    assert body["type"] == ATTENDANCE_RECORDED
    assert body["id"] == event.id
    assert AttendanceRecorded.model_validate(body["data"]) == attendance(1)
    assert record.key == b"p1"
    assert dict(record.headers)["x-request-id"] == b"req-42"


async def test_a_page_goes_to_each_key_s_partition_in_order_over_several_batches(
    make_settings: Callable[..., Any],
) -> None:
    """As the default partitioner places each key, with each partition's messages in the order sent: a page
    of 12 MB over 6 partitions fills several 1 MiB batches in each."""
    settings, producer = await topics_and_producer(make_settings, partitions=6)
    topic, every = settings.topics.attendance, list(range(6))
    page = [
        Encoded(topic, f"p{i % 97}".encode(), b"%d:" % i + b"x" * 4000, [("ce_id", b"m%d" % i)])
        for i in range(3000)
    ]
    own = Encoded(topic, b"p1", b"own", [("ce_id", b"own")], partition=5)  # its own partition, not p1's
    try:
        await producer.send_encoded([*page, own])
    finally:
        await producer.stop()

    records = await read_all(settings.kafka_bootstrap, topic, len(page) + 1, timeout_s=60)
    assert len(records) == len(page) + 1
    sent_order: dict[int, list[bytes]] = {}
    for m in page:
        sent_order.setdefault(partition_for(m.key, every, every), []).append(m.value or b"")
    sent_order[5].append(b"own")
    read_order: dict[int, list[bytes]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        read_order.setdefault(record.partition, []).append(record.value)
        ce_id = b"own" if record.value == b"own" else b"m" + record.value.split(b":")[0]
        assert dict(record.headers)["ce_id"] == ce_id
    assert read_order == sent_order


async def test_what_no_handler_may_take_goes_to_deadletter_and_the_consumer_carries_on(
    make_settings: Callable[..., Any],
) -> None:
    settings, producer = await topics_and_producer(make_settings)
    topics = settings.topics
    good = [
        new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n)) for n in (1, 2)
    ]
    # Not a CloudEvent; a type this consumer's table does not name; a payload its type's model refuses.
    unknown = new_event(source="/t", type=ATTENDANCE_RELEASED, subject="p3", data=attendance(3))
    broken = new_event(source="/t", type=ATTENDANCE_RECORDED, subject="p4", data=attendance(4))
    broken.data.pop("event_id")
    await producer.send([Outgoing(topics.attendance, "p1", good[0])])
    await producer.send_encoded([Encoded(topics.attendance, b"p9", b"{not json", [])])
    await producer.send(
        [Outgoing(topics.attendance, "p3", unknown), Outgoing(topics.attendance, "p4", broken)]
    )
    await producer.send([Outgoing(topics.attendance, "p2", good[1])])

    applied: list[Fact[AttendanceRecorded]] = []
    done = asyncio.Event()

    async def handler(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
        applied.extend(batch)
        if len(applied) >= 2:
            done.set()

    loop = attendance_loop(settings, handler, producer)
    task = asyncio.create_task(loop.run())
    try:
        await asyncio.wait_for(done.wait(), 30)
    finally:
        loop.stop()
        await asyncio.wait_for(task, 10)
        await producer.stop()

    assert [f.event.id for f in applied] == [e.id for e in good]
    assert [f.payload for f in applied] == [attendance(1), attendance(2)]
    dead = await read_all(settings.kafka_bootstrap, topics.deadletter, 3)
    assert [d.key for d in dead] == [b"p9", b"p3", b"p4"]
    errors = [dict(d.headers)["error"].decode() for d in dead]
    assert "json" in errors[0].lower()
    assert ATTENDANCE_RELEASED in errors[1]
    assert "event_id" in errors[2]
    assert {dict(d.headers)["original_topic"] for d in dead} == {topics.attendance.encode()}


async def test_a_type_not_wanted_now_is_passed_over_unparsed_and_a_message_not_naming_its_type_is_read(
    make_settings: Callable[..., Any],
) -> None:
    settings, producer = await topics_and_producer(make_settings)
    topics = settings.topics
    good = [
        new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n)) for n in (1, 2)
    ]
    broken = new_event(source="/t", type=ATTENDANCE_RECORDED, subject="p4", data=attendance(4))
    broken.data.pop("event_id")
    # Not wanted and not in the table: passed over by its ce_type header (without `wanted`, dead-lettered).
    passed_over = new_event(source="/t", type=ATTENDANCE_RELEASED, subject="p5", data=attendance(5))
    # The same, without headers: read to know its type, then dead-lettered as the table does not name it.
    unnamed = new_event(source="/t", type=ATTENDANCE_RELEASED, subject="p3", data=attendance(3))
    await producer.send(
        [Outgoing(topics.attendance, "p1", good[0]), Outgoing(topics.attendance, "p5", passed_over)]
    )
    await producer.send_encoded([Encoded(topics.attendance, b"p3", encode(unnamed), [])])
    await producer.send(
        [Outgoing(topics.attendance, "p4", broken), Outgoing(topics.attendance, "p2", good[1])]
    )

    applied: list[Fact[AttendanceRecorded]] = []
    done = asyncio.Event()
    asked = 0

    async def handler(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
        applied.extend(batch)
        if len(applied) >= 2:
            done.set()

    async def wanted() -> set[str]:
        nonlocal asked
        asked += 1
        return {ATTENDANCE_RECORDED}

    loop = attendance_loop(settings, handler, producer, wanted=wanted)
    task = asyncio.create_task(loop.run())
    try:
        await asyncio.wait_for(done.wait(), 30)
    finally:
        loop.stop()
        await asyncio.wait_for(task, 10)
        await producer.stop()

    assert [f.event.id for f in applied] == [e.id for e in good]
    assert asked >= 1
    dead = await read_exactly(settings.kafka_bootstrap, topics.deadletter, 2)
    assert [d["subject"] for d in dead] == ["p3", "p4"]


async def test_without_a_group_every_reader_reads_from_the_beginning_and_a_replay_stops_at_the_end(
    make_settings: Callable[..., Any],
) -> None:
    settings, producer = await topics_and_producer(make_settings, partitions=2)
    topics = settings.topics
    sent = [
        new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n))
        for n in range(6)
    ]
    try:
        await producer.send([Outgoing(topics.attendance, f"p{n}", e) for n, e in enumerate(sent)])
        seen: list[list[str]] = [[], []]
        both = asyncio.Event()

        def reader(n: int) -> ConsumerLoop:
            async def handle(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
                seen[n].extend(f.event.id for f in batch)
                if all(len(ids) >= len(sent) for ids in seen):
                    both.set()

            return ConsumerLoop(
                kafka=settings.kafka,
                group_id=None,
                topics=[topics.attendance],
                handlers=on(AttendanceRecorded, handle),
            )

        followers = [reader(0), reader(1)]  # two instances, each given every message
        tasks = [asyncio.create_task(f.run()) for f in followers]
        try:
            await asyncio.wait_for(both.wait(), 30)
        finally:
            for follower in followers:
                follower.stop()
            await asyncio.wait_for(asyncio.gather(*tasks), 10)

        replayed: list[str] = []

        async def keep(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
            replayed.extend(f.event.id for f in batch)

        replay = ConsumerLoop(
            kafka=settings.kafka,
            group_id=None,
            topics=[topics.attendance],
            handlers=on(AttendanceRecorded, keep),
        )
        # A replay reads up to the end as it finds it when it starts, and then returns.
        count = await asyncio.wait_for(replay.replay(), 30)
        later = new_event(source="/t", type=ATTENDANCE_RECORDED, subject="p9", data=attendance(9))
        await producer.send([Outgoing(topics.attendance, "p9", later)])
        again = await asyncio.wait_for(replay.replay(), 30)
    finally:
        await producer.stop()

    ids = sorted(e.id for e in sent)
    assert [sorted(s) for s in seen] == [ids, ids]
    assert (count, sorted(replayed[: len(sent)])) == (len(sent), ids)
    assert again == len(sent) + 1


def test_a_table_names_only_types_whose_payload_is_the_handlers_model() -> None:
    async def handle(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
        del batch

    assert set(on(AttendanceRecorded, handle)) == {ATTENDANCE_RECORDED}
    with pytest.raises(ValueError, match="AttendanceRecorded"):
        on(AttendanceRecorded, handle, EVENT_SCHEDULED)


async def test_a_trickle_is_gathered_into_few_batches(make_settings: Callable[..., Any]) -> None:
    settings, producer = await topics_and_producer(make_settings)
    topics = settings.topics
    sent = ["warm-up", *(f"p{n}" for n in range(10))]
    batches: list[list[str]] = []
    warm, done = asyncio.Event(), asyncio.Event()

    async def handler(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
        batches.append([f.event.subject or "" for f in batch])
        warm.set()
        if sum(len(b) for b in batches) == len(sent):
            done.set()

    async def send(subject: str) -> None:
        event = new_event(source="/t", type=ATTENDANCE_RECORDED, subject=subject, data=attendance(1))
        await producer.send([Outgoing(topics.attendance, subject, event)])

    loop = attendance_loop(settings, handler, producer, gather_ms=1500)
    task = asyncio.create_task(loop.run())
    try:
        await send(sent[0])  # applied once the consumer has joined; then ten check-ins come 30 ms apart
        await asyncio.wait_for(warm.wait(), 30)
        for subject in sent[1:]:
            await send(subject)
            await asyncio.sleep(0.03)
        await asyncio.wait_for(done.wait(), 30)
    finally:
        loop.stop()
        await asyncio.wait_for(task, 10)
        await producer.stop()

    assert [s for b in batches for s in b] == sent
    assert len(batches[1:]) <= 2, batches  # one per check-in without gathering


async def test_a_quiet_gathering_consumer_takes_a_lone_message_at_once(
    make_settings: Callable[..., Any],
) -> None:
    """Fetches are held for more only while messages flow: after a quiet spell the broker answers at the
    first message, so a gathering consumer no longer asks for its partitions every `gather_ms` while idle."""
    settings, producer = await topics_and_producer(make_settings)
    gather_s = 3.0
    applied: dict[str, float] = {}
    arrived = asyncio.Event()

    async def handler(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
        applied.update((f.event.subject or "", time.monotonic()) for f in batch)
        arrived.set()

    async def send_and_wait(subject: str) -> float:
        arrived.clear()
        sent = time.monotonic()
        event = new_event(source="/t", type=ATTENDANCE_RECORDED, subject=subject, data=attendance(1))
        await producer.send([Outgoing(settings.topics.attendance, subject, event)])
        await asyncio.wait_for(arrived.wait(), 30)
        return applied[subject] - sent

    loop = attendance_loop(settings, handler, producer, gather_ms=int(gather_s * 1000))
    task = asyncio.create_task(loop.run())
    try:
        await send_and_wait("warm-up")  # the fetch after it is held for more, and comes back empty
        await asyncio.sleep(gather_s + 1)
        waited = await send_and_wait("lone")
    finally:
        loop.stop()
        await asyncio.wait_for(task, 10)
        await producer.stop()

    # Held while quiet, the lone message would wait for the end of the fetch sent as the held one ended: 2 s.
    assert waited < gather_s / 2, waited


async def test_a_reader_without_a_group_knows_when_it_has_caught_up_and_dead_letters_only_live_and_once(
    make_settings: Callable[..., Any],
) -> None:
    settings, producer = await topics_and_producer(make_settings)
    topics = settings.topics

    def recorded(n: int, *, broken: bool = False) -> Outgoing:
        event = new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n))
        if broken:
            event.data.pop("event_id")
        return Outgoing(topics.attendance, f"p{n}", event)

    # Read at every start of every instance: logged, never dead-lettered (it would be, at each restart).
    await producer.send([recorded(1), recorded(2, broken=True), recorded(3)])
    seen: list[list[str]] = [[], []]
    caught_up = [asyncio.Event(), asyncio.Event()]
    live_seen = asyncio.Event()

    def reader(n: int) -> tuple[ConsumerLoop, ReadProgress]:
        async def handle(batch: Sequence[Fact[AttendanceRecorded]]) -> None:
            seen[n].extend(f.event.subject or "" for f in batch)
            if all("p5" in s for s in seen):
                live_seen.set()

        progress = ReadProgress(on_caught_up=caught_up[n].set)
        loop = ConsumerLoop(
            kafka=settings.kafka,
            group_id=None,
            topics=[topics.attendance],
            handlers=on(AttendanceRecorded, handle),
            producer=producer,
            deadletter_topic=topics.deadletter,
            progress=progress,
            dead_letters_live=lambda partition: n == 0,  # instance 0 is the one for every partition
        )
        return loop, progress

    readers = [reader(0), reader(1)]
    tasks = [asyncio.create_task(loop.run()) for loop, _ in readers]
    try:
        async with asyncio.timeout(30):
            for event in caught_up:
                await event.wait()
        assert [s[:2] for s in seen] == [["p1", "p3"], ["p1", "p3"]]  # what was there at the start
        await producer.send([recorded(4, broken=True), recorded(5)])  # read live
        await asyncio.wait_for(live_seen.wait(), 30)
    finally:
        for loop, _ in readers:
            loop.stop()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        await producer.stop()

    assert seen == [["p1", "p3", "p5"], ["p1", "p3", "p5"]]
    assert all(progress.positions for _, progress in readers)
    [dead] = await read_exactly(settings.kafka_bootstrap, topics.deadletter, 1)
    assert dead["subject"] == "p4"
