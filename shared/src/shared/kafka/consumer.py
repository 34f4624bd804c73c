"""The one consumer loop: at-least-once, batch by batch, with a dead-letter topic for bad messages."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from prometheus_client import Counter, Gauge
from pydantic import ValidationError

from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import TOMBSTONE
from shared.kafka.connection import KafkaConnection
from shared.kafka.partition_hooks import PartitionHooks, RebalanceListener
from shared.kafka.producer import Encoded, EventProducer
from shared.runtime.logging import set_ce_id, set_request_id
from shared.runtime.tracing import batch_span

log = logging.getLogger(__name__)

CONSUMED = Counter("pulse_kafka_consumed_total", "Messages consumed", ["group", "topic"])
DEADLETTERED = Counter(
    "pulse_kafka_deadlettered_total", "Messages sent to the dead-letter topic", ["group", "topic"]
)
HANDLER_ERRORS = Counter("pulse_kafka_handler_errors_total", "Failed attempts to apply a batch", ["group"])
CONSUME_ERRORS = Counter(
    "pulse_kafka_consume_errors_total",
    "Consumer failures (broker away, commit refused); it reconnects",
    ["group"],
)
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


def tombstone_event(record: ConsumerRecord[bytes, bytes]) -> CloudEvent:
    """A keyed record without a value (a compacted topic's tombstone), as an event of type TOMBSTONE whose
    subject is the key; consumers ignore it unless the topic gives it a meaning (pulse.participant-keys)."""
    assert record.key is not None
    return CloudEvent(
        id=f"{record.topic}/{record.partition}/{record.offset}",
        source="/kafka",
        type=TOMBSTONE,
        time=datetime.fromtimestamp(record.timestamp / 1000, UTC),
        subject=record.key.decode(errors="replace"),
        data={},
    )


def decode(record: ConsumerRecord[bytes, bytes]) -> Received:
    """Parse a record's value as a CloudEvent; raises ValueError or ValidationError when malformed."""
    if record.value is None:
        if record.key is None:
            raise ValueError("message has no value")
        event = tombstone_event(record)
    else:
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
    With `gather_ms`, the broker holds a fetch up to that long for more messages (or 1 MiB of them),
    so a trickle is applied and committed in fewer, larger batches; 0 answers as soon as any arrives.
    """

    def __init__(
        self,
        *,
        kafka: KafkaConnection,
        group_id: str,
        topics: Sequence[str],
        handler: BatchHandler,
        producer: EventProducer,
        deadletter_topic: str,
        max_records: int = 5000,
        drain_timeout_s: float = 10.0,
        gather_ms: int = 0,
        partition_hooks: PartitionHooks | None = None,
    ) -> None:
        self._kafka = kafka
        self._group_id = group_id
        self._topics = list(topics)
        self._handler = handler
        self._producer = producer
        self._deadletter_topic = deadletter_topic
        self._max_records = max_records
        self._drain_timeout_s = drain_timeout_s
        self._gather_ms = gather_ms
        self._hooks = partition_hooks
        # Held while a batch is applied and committed, and while partitions move, so neither sees the other.
        self._batch_lock = asyncio.Lock()
        self._to_set_up: frozenset[TopicPartition] | None = None  # an assignment (maybe empty) to set up
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
                CONSUME_ERRORS.labels(self._group_id).inc()
                log.exception("consumer %s failed; restarting in 1s", self._group_id)
                await asyncio.sleep(1)

    def stop(self) -> None:
        self._stopping.set()

    async def _run_once(self) -> None:
        hooks = self._hooks
        consumer = AIOKafkaConsumer(
            *self._topics,
            **self._kafka.client_options(),
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=8 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
            fetch_min_bytes=1024 * 1024 if self._gather_ms else 1,
            fetch_max_wait_ms=self._gather_ms or 500,
            partition_assignment_strategy=hooks.assignors if hooks else (RoundRobinPartitionAssignor,),
            # Members finish the batch in hand and hand over their partitions before they rejoin.
            rebalance_timeout_ms=hooks.rebalance_timeout_ms if hooks else None,
        )
        listener = (
            RebalanceListener(hooks, self._batch_lock, consumer, self._take_assignment) if hooks else None
        )
        consumer.subscribe(self._topics, listener=listener)
        await consumer.start()
        self.consumer = consumer
        try:
            while not self._stopping.is_set():
                if self._to_set_up is not None:
                    await self._set_up_assigned(consumer)
                batches = await consumer.getmany(timeout_ms=200, max_records=self._max_records)
                records = [r for part in batches.values() for r in part]
                if records:
                    await self._finish_batch(consumer, records)
                self._export_lag(consumer, records)
        finally:
            self.consumer = None
            if hooks is not None:
                async with self._batch_lock:  # the partitions are lost with this member
                    self._to_set_up = None
                    await hooks.revoked(frozenset(consumer.assignment()))
            await consumer.stop()  # commits nothing more: only applied batches were committed

    def _take_assignment(self, assigned: frozenset[TopicPartition] | None) -> None:
        self._to_set_up = assigned

    async def _set_up_assigned(self, consumer: AIOKafkaConsumer) -> None:
        """Run the `assigned` hook (retried until it succeeds), then let the partitions be fetched."""
        assert self._hooks is not None
        async with self._batch_lock:
            attempt = 0
            while self._to_set_up is not None and not self._stopping.is_set():
                assigned = self._to_set_up
                try:
                    await self._hooks.assigned(consumer, assigned)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    attempt += 1
                    HANDLER_ERRORS.labels(self._group_id).inc()
                    log.exception(
                        "consumer %s could not take up %s (attempt %d)", self._group_id, assigned, attempt
                    )
                    await asyncio.sleep(min(0.2 * 2**attempt, 5.0))
                    continue
                if self._to_set_up == assigned:  # not replaced by a newer assignment meanwhile
                    self._to_set_up = None
                    consumer.resume(*assigned)

    async def _finish_batch(
        self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]
    ) -> None:
        """Apply and commit a batch; a shutdown (cancellation) lets the batch in hand finish, within a bound.

        The batch runs in its own task, so the log context it sets ends with it.
        """

        async def apply_then_commit() -> None:
            async with self._batch_lock:
                await self._apply(records)
                await consumer.commit()

        work = asyncio.ensure_future(apply_then_commit())
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:
            done, _ = await asyncio.wait({work}, timeout=self._drain_timeout_s)
            if not done:
                work.cancel()  # redelivered after the restart; handlers are idempotent
            raise

    async def _apply(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        valid: list[Received] = []
        # Counted per topic per batch: a labelled counter per message cost 10% of a catch-up's CPU.
        for topic, count in collections.Counter(r.topic for r in records).items():
            CONSUMED.labels(self._group_id, topic).inc(count)
        for record in records:
            try:
                valid.append(decode(record))
            except (ValueError, ValidationError) as exc:
                await self._deadletter(record, exc)
        if valid:
            _log_context(valid)
            with batch_span(f"{self._group_id} apply", (dict(r.headers or ()) for r in records)):
                await self._apply_valid(valid)

    async def _apply_valid(self, valid: list[Received]) -> None:
        attempt = 0
        while True:
            try:
                await self._handler(valid)
                _log_applied(self._group_id, valid)
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
        await self._producer.send_encoded(
            [Encoded(self._deadletter_topic, record.key, record.value or b"", headers)]
        )

    def _export_lag(self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        for record in records:
            self._next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = self._next_offsets.get(tp)
            if highwater is not None and position is not None:
                LAG.labels(self._group_id, tp.topic, str(tp.partition)).set(max(highwater - position, 0))


def _log_context(batch: Sequence[Received]) -> None:
    """While a batch is handled, log lines carry its request id and CloudEvent id when it has only one."""
    request_ids = {r.request_id for r in batch}
    set_request_id(request_ids.pop() if len(request_ids) == 1 else None)
    set_ce_id(batch[0].event.id if len(batch) == 1 else None)


def _log_applied(group_id: str, batch: Sequence[Received]) -> None:
    """One line per request whose events were applied, so a request can be followed into its consumers."""
    by_request: dict[str | None, list[Received]] = {}
    for received in batch:
        by_request.setdefault(received.request_id, []).append(received)
    for request_id, applied in by_request.items():
        set_request_id(request_id)
        set_ce_id(applied[0].event.id if len(applied) == 1 else None)
        types = sorted({r.event.type for r in applied})
        log.info("%s applied %d event(s): %s", group_id, len(applied), ", ".join(types))
