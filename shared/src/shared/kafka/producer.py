"""The one producer: idempotent, acks=all, CloudEvents in structured JSON mode."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter as Tally
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError
from aiokafka.partitioner import DefaultPartitioner, murmur2
from aiokafka.producer.message_accumulator import BatchBuilder
from prometheus_client import Counter

from shared.contracts.envelope import CloudEvent
from shared.kafka.connection import KafkaConnection, start_or_stop
from shared.runtime.logging import current_request_id
from shared.runtime.tracing import inject_trace

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 10.0
PRODUCED = Counter("pulse_kafka_produced_total", "Messages acknowledged by the broker", ["topic"])
PRODUCE_ERRORS = Counter(
    "pulse_kafka_produce_errors_total",
    "Messages the broker did not acknowledge (sent again later)",
    ["topic"],
)


@dataclass(frozen=True)
class Outgoing:
    """An event bound for a topic under a partition key."""

    topic: str
    key: str
    event: CloudEvent


@dataclass(frozen=True)
class Deletion:
    """A tombstone bound for a compacted topic under a key: the log cleaner then removes the key's records."""

    topic: str
    key: str
    time: datetime


@dataclass(frozen=True)
class Encoded:
    """A message as the broker takes it: value and headers already encoded (as an outbox keeps them)."""

    topic: str
    key: bytes | None
    value: bytes | None  # None: a tombstone on a compacted topic
    headers: list[tuple[str, bytes]]
    partition: int | None = None  # None: the key's


@lru_cache(maxsize=65_536)
def _key_hash(key: bytes) -> int:
    return int(murmur2(key)) & 0x7FFFFFFF


def partition_for(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """aiokafka's default partitioning (Kafka's murmur2 of the key, as Java clients do), each key's hash kept.

    Hashed in pure Python, it was 6% of the events service's CPU in a bulk ingest, where a participant's key
    comes back with each of its events.
    """
    if key is None:
        return int(DefaultPartitioner()(key, all_partitions, available))
    return all_partitions[_key_hash(key) % len(all_partitions)]


def encode(event: CloudEvent) -> bytes:
    return event.model_dump_json(exclude_none=True).encode()


def encoded(message: Outgoing, request_id: str | None = None) -> Encoded:
    event = message.event
    return Encoded(message.topic, message.key.encode(), encode(event), headers_for(event, request_id))


def headers_for(event: CloudEvent, request_id: str | None = None) -> list[tuple[str, bytes]]:
    """Kafka headers carrying the CloudEvent id and the request id across services."""
    return [*event_headers(event), *request_headers(request_id)]


def event_headers(event: CloudEvent) -> list[tuple[str, bytes]]:
    """The headers naming the event itself, so consumers can log it without parsing the value."""
    return naming_headers(event.id, event.type)


def naming_headers(event_id: str, event_type: str) -> list[tuple[str, bytes]]:
    """`event_headers` of the event with this id and type."""
    return [("ce_id", event_id.encode()), ("ce_type", event_type.encode())]


def request_headers(request_id: str | None = None) -> list[tuple[str, bytes]]:
    """The headers that carry the current request's id and trace (if any) to consumers."""
    headers = []
    request_id = request_id or current_request_id()
    if request_id:
        headers.append(("x-request-id", request_id.encode()))
    inject_trace(headers)
    return headers


class EventProducer:
    """Wraps AIOKafkaProducer; start() may be retried, so a service can start while Kafka is down."""

    def __init__(self, kafka: KafkaConnection, client_id: str) -> None:
        self._kafka = kafka
        self._client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        async with self._lock:
            if self._producer is not None:
                return
            producer = AIOKafkaProducer(
                **self._kafka.client_options(),
                client_id=self._client_id,
                enable_idempotence=True,
                acks="all",
                # No lingering: a check-in's event and a counters snapshot go out at once (freshness p50
                # 106-109 -> 75-77 ms at 100 check-ins/s); a bulk page still fills batches while the
                # previous request is in flight.
                linger_ms=0,
                max_batch_size=1024 * 1024,
                max_request_size=4 * 1024 * 1024,
                request_timeout_ms=15000,
                partitioner=partition_for,
            )
            await start_or_stop(producer)
            self._producer = producer

    @property
    def started(self) -> bool:
        return self._producer is not None

    async def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Flush what is buffered and close, within `timeout_s`; waits for a start in progress so it cannot leak.

        aiokafka's stop waits for the broker to acknowledge every buffered message, for ever if it never
        does (aiokafka issue 1101): past the bound those messages fail, which their senders already saw as
        unacknowledged (an outbox sends them again), and the producer closes.
        """
        async with self._lock:
            producer, self._producer = self._producer, None
            if producer is None:
                return
            stopping = asyncio.create_task(producer.stop())
            await asyncio.wait({stopping}, timeout=timeout_s)
            if not stopping.done():
                log.warning("producer %s: unacknowledged messages dropped at stop", self._client_id)
                producer._message_accumulator.fail_all(KafkaTimeoutError("producer stopped"))
            await stopping

    async def ping(self, timeout_s: float = 3.0) -> bool:
        """True when the broker answers a metadata request."""
        try:
            async with asyncio.timeout(timeout_s):
                await self.start()
                assert self._producer is not None
                await self._producer.client.fetch_all_metadata()
        except Exception:
            return False
        return True

    async def partitions_for(self, topic: str) -> set[int]:
        await self.start()
        assert self._producer is not None
        return set(await self._producer.partitions_for(topic))

    async def send(self, messages: Sequence[Outgoing], request_id: str | None = None) -> None:
        """Send all messages and wait until the broker has acknowledged every one."""
        await self.send_encoded([encoded(m, request_id) for m in messages])

    async def send_encoded(self, messages: Sequence[Encoded]) -> None:
        """Send messages encoded already (an outbox's, a dead letter) and wait for every acknowledgement.

        Each partition's messages go in order as whole batches: aiokafka's `send`, a future and an
        accumulator step per message, cost 15 µs a message of a 10,000-message page, a batch 6.
        """
        by_topic = Tally(m.topic for m in messages)
        try:
            await self.start()
            assert self._producer is not None
            acknowledged = []
            for (topic, partition), in_partition in (await self._by_partition(messages)).items():
                for batch in self._batches(in_partition):
                    acknowledged.append(await self._producer.send_batch(batch, topic, partition=partition))
            await asyncio.gather(*acknowledged)
        except Exception:
            _count(PRODUCE_ERRORS, by_topic)
            raise
        _count(PRODUCED, by_topic)

    async def _by_partition(self, messages: Sequence[Encoded]) -> dict[tuple[str, int], list[Encoded]]:
        """The messages by the partition each goes to (its own, or its key's), each partition's in order."""
        assert self._producer is not None
        partitions: dict[str, tuple[list[int], list[int]]] = {}  # every partition, and those available
        grouped: dict[tuple[str, int], list[Encoded]] = {}
        for m in messages:
            partition = m.partition
            if partition is None:
                if m.topic not in partitions:
                    every = sorted(await self._producer.partitions_for(m.topic))
                    available = self._producer.client.cluster.available_partitions_for_topic(m.topic)
                    partitions[m.topic] = every, sorted(available)
                partition = partition_for(m.key, *partitions[m.topic])
            grouped.setdefault((m.topic, partition), []).append(m)
        return grouped

    def _batches(self, messages: Sequence[Encoded]) -> Iterator[BatchBuilder]:
        """The messages in batches of at most the producer's batch size, a new one begun as one fills."""
        assert self._producer is not None
        batch = self._producer.create_batch()
        for m in messages:
            if batch.append(key=m.key, value=m.value, timestamp=None, headers=m.headers) is not None:
                continue
            yield batch
            batch = self._producer.create_batch()
            # A new batch takes its first message whatever its size (the broker refuses one too large).
            taken = batch.append(key=m.key, value=m.value, timestamp=None, headers=m.headers)
            assert taken is not None
        yield batch


def _count(counter: Counter, by_topic: Tally[str]) -> None:
    for topic, n in by_topic.items():
        counter.labels(topic).inc(n)
