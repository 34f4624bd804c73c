"""Reading a topic from its beginning, and knowing when what was there at the start has all been read.

Without a group, every partition is read (events and counters: every instance needs all of them); with a
group, what the group assigns is read from its beginning on each assignment (partials: the group elects the
one merger). Nothing is committed: the topic itself is the state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from pydantic import ValidationError

from shared.kafka.connection import KafkaConnection
from shared.kafka.consumer import Received, decode

log = logging.getLogger(__name__)

# The valid records read, and the next offset of each partition read.
Handler = Callable[[Sequence[Received], dict[int, int]], Awaitable[None]]


class TopicReader:
    def __init__(
        self,
        *,
        kafka: KafkaConnection,
        topic: str,
        handle: Handler,
        on_caught_up: Callable[[], None],
        group_id: str | None = None,
        on_assigned: Callable[[], None] = lambda: None,
        on_revoked: Callable[[], None] = lambda: None,
    ) -> None:
        self._kafka = kafka
        self._topic = topic
        self._handle = handle
        self._on_caught_up = on_caught_up
        self.caught_up = False
        self._group_id = group_id
        self._on_assigned = on_assigned
        self._on_revoked = on_revoked
        self.positions: dict[int, int] = {}
        self._ends: dict[int, int] | None = None
        self._restart_assignment = False

    async def run(self) -> None:
        """Read until cancelled; after a failure, go on from where it was."""
        while True:
            consumer = AIOKafkaConsumer(
                **self._kafka.client_options(),
                group_id=self._group_id,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                metadata_max_age_ms=5000,  # notice the topic soon if it is created after we start
                max_partition_fetch_bytes=8 * 1024 * 1024,
            )
            # Without a group, a subscribing consumer is given every partition once the metadata names them.
            consumer.subscribe([self._topic], listener=_Reassigned(self) if self._group_id else None)
            try:
                await consumer.start()
                await self._follow(consumer)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reading %s failed; going on in 2 s", self._topic)
                await asyncio.sleep(2)
            finally:
                await consumer.stop()

    async def _follow(self, consumer: AIOKafkaConsumer) -> None:
        if self._group_id is None:
            partitions = await assigned_partitions(consumer, [self._topic])
            for tp in partitions:
                if tp.partition in self.positions:
                    consumer.seek(tp, self.positions[tp.partition])
            if self._ends is None:
                await self._start_from_beginning(consumer, partitions, seek=False)
        while True:
            if self._restart_assignment:
                self._restart_assignment = False
                assigned = consumer.assignment()
                if assigned:  # a member given nothing waits for the next assignment
                    self._on_assigned()
                    await self._start_from_beginning(consumer, assigned, seek=True)
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            valid: list[Received] = []
            for records in batches.values():
                for record in records:
                    try:
                        valid.append(decode(record))
                    except (ValueError, ValidationError) as exc:
                        log.warning(
                            "skipped an unreadable record of %s@%d: %s", self._topic, record.offset, exc
                        )
            if batches:
                for tp in consumer.assignment():
                    self.positions[tp.partition] = await consumer.position(tp)
                await self._handle(valid, self.positions)
            self._note_caught_up()

    async def _start_from_beginning(
        self, consumer: AIOKafkaConsumer, partitions: set[TopicPartition], *, seek: bool
    ) -> None:
        if seek and partitions:
            await consumer.seek_to_beginning(*partitions)
        self.positions = {}
        ends = await consumer.end_offsets(list(partitions)) if partitions else {}
        self._ends = {tp.partition: offset for tp, offset in ends.items()}
        self._note_caught_up()

    def _note_caught_up(self) -> None:
        if self.caught_up or self._ends is None:
            return
        if all(self.positions.get(p, 0) >= end for p, end in self._ends.items() if end > 0):
            self.caught_up = True
            self._on_caught_up()

    def reassigned(self) -> None:
        self._ends = None
        self.caught_up = False
        self._restart_assignment = True

    def revoked(self) -> None:
        self._ends = None
        self.caught_up = False
        self._on_revoked()


async def assigned_partitions(consumer: AIOKafkaConsumer, topics: Sequence[str]) -> set[TopicPartition]:
    """A group-less subscriber's partitions, once it has some of every topic (which may not exist yet)."""
    while True:
        partitions: set[TopicPartition] = consumer.assignment()
        if {tp.topic for tp in partitions} >= set(topics):
            return partitions
        await asyncio.sleep(0.05)


class _Reassigned(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, reader: TopicReader) -> None:
        self._reader = reader

    def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._reader.revoked()

    def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._reader.reassigned()
