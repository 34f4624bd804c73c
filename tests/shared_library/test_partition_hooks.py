"""A consumer loop keeping state per partition: same numbers of every topic, told of every move, in step
with its batches (the metrics instances rely on all three)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from testkit.builders import attendance

from shared.contracts.envelope import new_event
from shared.contracts.payloads import ATTENDANCE_RECORDED
from shared.kafka.consumer import ConsumerLoop, Fact, Received
from shared.kafka.partition_hooks import PartitionHooks
from shared.kafka.producer import EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.settings import BaseServiceSettings

pytestmark = pytest.mark.integration


class Member:
    """A loop over the participants and attendance topics, recording what its hooks and handler saw."""

    def __init__(self, settings: BaseServiceSettings, producer: EventProducer) -> None:
        self.held: set[int] = set()  # partition numbers set up and not revoked since
        self.assignments: list[dict[str, set[int]]] = []
        self.applied_while_not_held: list[Received] = []
        self.applied = 0
        self.loop = ConsumerLoop(
            kafka=settings.kafka,
            group_id=f"{settings.topic_prefix}owners",
            topics=[settings.topics.participants, settings.topics.attendance],
            handler=self.handle,
            producer=producer,
            deadletter_topic=settings.topics.deadletter,
            partition_hooks=PartitionHooks(assigned=self.assigned, revoked=self.revoked),
        )
        self.task = asyncio.create_task(self.loop.run())

    async def assigned(self, consumer: AIOKafkaConsumer, partitions: frozenset[TopicPartition]) -> None:
        by_topic: dict[str, set[int]] = {}
        for tp in partitions:
            by_topic.setdefault(tp.topic, set()).add(tp.partition)
        self.assignments.append(by_topic)
        self.held = {tp.partition for tp in partitions}

    async def revoked(self, partitions: frozenset[TopicPartition]) -> None:
        self.held -= {tp.partition for tp in partitions}

    async def handle(self, batch: Sequence[Fact[Any]]) -> None:
        self.applied_while_not_held.extend(f.received for f in batch if f.received.partition not in self.held)
        self.applied += len(batch)

    async def stop(self) -> None:
        self.loop.stop()
        await asyncio.wait_for(self.task, 20)


async def until(condition: Callable[[], bool], timeout_s: float = 60) -> None:
    """Poll what the loops' own tasks update (they signal nothing else)."""
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def test_partitions_move_between_members_in_pairs_and_never_under_a_batch(
    make_settings: Callable[..., Any],
) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=4, replication=1)
    producer = EventProducer(settings.kafka, "test")
    first = Member(settings, producer)
    second: Member | None = None
    third: Member | None = None

    async def send(count: int, start: int) -> None:
        messages = []
        for n in range(start, start + count):
            event = new_event(source="/test", type=ATTENDANCE_RECORDED, subject="p", data=attendance(n))
            messages.append(Outgoing(settings.topics.attendance, f"participant-{n}", event))
            messages.append(Outgoing(settings.topics.participants, f"participant-{n}", event))
        await producer.send(messages)

    try:
        await until(lambda: first.held == {0, 1, 2, 3})
        await send(200, 0)
        second = Member(settings, producer)
        await send(200, 200)
        await until(lambda: len(first.held) == len(second.held) == 2)
        third = Member(settings, producer)  # with 4 partitions and 3 members, someone holds 1
        await send(200, 400)
        await until(lambda: sorted(len(m.held) for m in (first, second, third)) == [1, 1, 2])
        await second.stop()
        await send(200, 600)
        await until(lambda: first.held | third.held == {0, 1, 2, 3})
        await until(lambda: first.applied + second.applied + third.applied >= 1600)
    finally:
        for member in (first, second, third):
            if member is not None and not member.task.done():
                await member.stop()
        await producer.stop()

    members = [m for m in (first, second, third) if m is not None]
    for member in members:
        assert member.applied_while_not_held == []
        for by_topic in member.assignments:  # the same numbers of both topics, always
            assert by_topic.get(settings.topics.participants, set()) == by_topic.get(
                settings.topics.attendance, set()
            )
    assert sum(m.applied for m in members) >= 1600


async def test_a_member_given_nothing_is_told_so(make_settings: Callable[..., Any]) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=1, replication=1)
    producer = EventProducer(settings.kafka, "test")
    first = Member(settings, producer)
    second: Member | None = None
    try:
        await until(lambda: first.held == {0})
        second = Member(settings, producer)
        await until(lambda: len(first.assignments) + len(second.assignments) >= 3)
        await until(lambda: len(first.held) + len(second.held) == 1)
        empty = [a for m in (first, second) for a in m.assignments if not a]
    finally:
        await first.stop()
        if second is not None:
            await second.stop()
        await producer.stop()

    assert empty, "the member left without partitions had its hook called with none"


async def test_a_member_stopped_while_it_joins_leaves_nothing_running(
    make_settings: Callable[..., Any],
) -> None:
    """A loop stopped while its consumer is still joining the group (a service stopped as it starts, or a
    start that fails and is retried) closes that consumer too: its connections and background tasks."""
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=2, replication=1)
    joined, rebalancing, release = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def assigned(consumer: AIOKafkaConsumer, partitions: frozenset[TopicPartition]) -> None:
        joined.set()

    async def held_back(partitions: frozenset[TopicPartition]) -> None:
        if joined.is_set():
            rebalancing.set()
            await release.wait()  # the group's rebalance, and so the joiner's start, waits for this

    async def handle(batch: Sequence[Fact[Any]]) -> None:
        pass

    producer = EventProducer(settings.kafka, "test")

    def member() -> ConsumerLoop:
        return ConsumerLoop(
            kafka=settings.kafka,
            group_id=f"{settings.topic_prefix}owners",
            topics=[settings.topics.participants, settings.topics.attendance],
            handler=handle,
            producer=producer,
            deadletter_topic=settings.topics.deadletter,
            partition_hooks=PartitionHooks(assigned=assigned, revoked=held_back),
        )

    first = member()
    first_task = asyncio.create_task(first.run())
    try:
        await asyncio.wait_for(joined.wait(), 30)
        assert _group_members_running() == 1
        joiner = asyncio.create_task(member().run())
        await asyncio.wait_for(rebalancing.wait(), 30)  # the joiner is inside its consumer's start
        assert _group_members_running() == 2
        joiner.cancel()
        release.set()  # its consumer closes once the group answers its join
        await asyncio.wait({joiner}, timeout=30)
        assert joiner.done()
        assert _group_members_running() == 1  # left running, it would join and hold partitions unread
    finally:
        release.set()
        first.stop()
        await asyncio.wait_for(first_task, 20)
        await producer.stop()


def _group_members_running() -> int:
    """Group members of this event loop still taking part in their group (aiokafka's coordination tasks)."""
    return sum(
        not task.done() and getattr(task.get_coro(), "__qualname__", "").endswith("_coordination_routine")
        for task in asyncio.all_tasks()
    )
