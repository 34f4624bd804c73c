"""The one consumer loop: at-least-once, batch by batch, with a dead-letter topic for bad messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from prometheus_client import Counter, Gauge
from pydantic import ValidationError

from shared.contracts.envelope import CloudEvent
from shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)

CONSUMED = Counter("pulse_kafka_consumed_total", "Messages consumed", ["group", "topic"])
DEADLETTERED = Counter(
    "pulse_kafka_deadlettered_total", "Messages sent to the dead-letter topic", ["group", "topic"]
)
HANDLER_ERRORS = Counter("pulse_kafka_handler_errors_total", "Failed attempts to apply a batch", ["group"])
LAG = Gauge(
    "pulse_kafka_consumer_lag", "Messages behind the end of the partition", ["group", "topic", "partition"]
)


@dataclass(frozen=True)
class Received:
    """A valid CloudEvent and where it came from."""

    topic: str
    partition: int
    offset: int
    key: str | None
    event: CloudEvent
    request_id: str | None


BatchHandler = Callable[[Sequence[Received]], Awaitable[None]]


def decode(record: ConsumerRecord[bytes, bytes]) -> Received:
    """Parse a record's value as a CloudEvent; raises ValueError or ValidationError when malformed."""
    if record.value is None:
        raise ValueError("message has no value")
    event = CloudEvent.model_validate_json(record.value)
    headers = dict(record.headers or ())
    request_id = headers.get("x-request-id")
    return Received(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key.decode(errors="replace") if record.key is not None else None,
        event=event,
        request_id=request_id.decode(errors="replace") if request_id else None,
    )


class ConsumerLoop:
    """Fetches batches, dead-letters malformed messages, applies the rest, then commits.

    The handler must be idempotent: after a crash the uncommitted batch is delivered again.
    A failing handler is retried with backoff and the batch is never skipped.
    """

    def __init__(
        self,
        *,
        bootstrap: str,
        group_id: str,
        topics: Sequence[str],
        handler: BatchHandler,
        producer: EventProducer,
        deadletter_topic: str,
        max_records: int = 5000,
    ) -> None:
        self._bootstrap = bootstrap
        self._group_id = group_id
        self._topics = list(topics)
        self._handler = handler
        self._producer = producer
        self._deadletter_topic = deadletter_topic
        self._max_records = max_records
        self._stopping = asyncio.Event()
        self.consumer: AIOKafkaConsumer | None = None
        self._next_offsets: dict[TopicPartition, int] = {}

    async def run(self) -> None:
        """Consume until stop() is called; reconnects when the broker goes away."""
        while not self._stopping.is_set():
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("consumer %s failed; restarting in 1s", self._group_id)
                await asyncio.sleep(1)

    def stop(self) -> None:
        self._stopping.set()

    async def _run_once(self) -> None:
        consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap,
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=8 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
        )
        await consumer.start()
        self.consumer = consumer
        try:
            while not self._stopping.is_set():
                batches = await consumer.getmany(timeout_ms=200, max_records=self._max_records)
                records = [r for part in batches.values() for r in part]
                if records:
                    await self._apply(records)
                    await consumer.commit()
                self._export_lag(consumer, records)
        finally:
            self.consumer = None
            await consumer.stop()  # commits nothing more: only applied batches were committed

    async def _apply(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        valid: list[Received] = []
        for record in records:
            CONSUMED.labels(self._group_id, record.topic).inc()
            try:
                valid.append(decode(record))
            except (ValueError, ValidationError) as exc:
                await self._deadletter(record, exc)
        attempt = 0
        while valid:
            try:
                await self._handler(valid)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                attempt += 1
                HANDLER_ERRORS.labels(self._group_id).inc()
                log.exception("consumer %s could not apply a batch (attempt %d)", self._group_id, attempt)
                await asyncio.sleep(min(0.2 * 2**attempt, 5.0))

    async def _deadletter(self, record: ConsumerRecord[bytes, bytes], error: Exception) -> None:
        DEADLETTERED.labels(self._group_id, record.topic).inc()
        headers = [
            ("error", str(error)[:2000].encode()),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("consumer_group", self._group_id.encode()),
        ]
        log.warning("dead-lettered %s[%d]@%d: %s", record.topic, record.partition, record.offset, error)
        await self._producer.send_raw(self._deadletter_topic, record.value or b"", record.key, headers)

    def _export_lag(self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        for record in records:
            self._next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = self._next_offsets.get(tp)
            if highwater is not None and position is not None:
                LAG.labels(self._group_id, tp.topic, str(tp.partition)).set(max(highwater - position, 0))
