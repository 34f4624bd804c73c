"""The shared Kafka helpers against the real broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from testkit.builders import attendance
from testkit.kafka_reading import read_all

from shared.contracts.envelope import new_event
from shared.contracts.payloads import ATTENDANCE_RECORDED, AttendanceRecorded
from shared.kafka.consumer import BatchHandler, ConsumerLoop, Received
from shared.kafka.producer import Encoded, EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.settings import BaseServiceSettings

pytestmark = pytest.mark.integration


def attendance_loop(
    settings: BaseServiceSettings, handler: BatchHandler, producer: EventProducer, gather_ms: int = 0
) -> ConsumerLoop:
    """A consumer loop of its own group over the attendance topic."""
    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}g",
        topics=[settings.topics.attendance],
        handler=handler,
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
        gather_ms=gather_ms,
    )


async def test_a_cloudevent_goes_through_the_broker_and_back(make_settings: Callable[..., Any]) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=1, replication=1)
    producer = EventProducer(settings.kafka, "test")
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


async def test_malformed_message_goes_to_deadletter_and_consumer_carries_on(
    make_settings: Callable[..., Any],
) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    topics = settings.topics
    await ensure_topics(settings.kafka, topics, partitions=1, replication=1)
    producer = EventProducer(settings.kafka, "test")
    good = [
        new_event(source="/t", type=ATTENDANCE_RECORDED, subject=f"p{n}", data=attendance(n)) for n in (1, 2)
    ]
    await producer.send([Outgoing(topics.attendance, "p1", good[0])])
    await producer.send_encoded([Encoded(topics.attendance, b"p9", b"{not json", [])])
    await producer.send([Outgoing(topics.attendance, "p2", good[1])])

    applied: list[Received] = []
    done = asyncio.Event()

    async def handler(batch: Sequence[Received]) -> None:
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

    assert [r.event.id for r in applied] == [e.id for e in good]
    [dead] = await read_all(settings.kafka_bootstrap, topics.deadletter, 1)
    assert dead.value == b"{not json"
    headers = dict(dead.headers)
    assert headers["original_topic"] == topics.attendance.encode()
    assert b"json" in headers["error"].lower()


async def test_a_trickle_is_gathered_into_few_batches(make_settings: Callable[..., Any]) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    topics = settings.topics
    await ensure_topics(settings.kafka, topics, partitions=1, replication=1)
    producer = EventProducer(settings.kafka, "test")
    sent = ["warm-up", *(f"p{n}" for n in range(10))]
    batches: list[list[str]] = []
    warm, done = asyncio.Event(), asyncio.Event()

    async def handler(batch: Sequence[Received]) -> None:
        batches.append([r.event.subject or "" for r in batch])
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
