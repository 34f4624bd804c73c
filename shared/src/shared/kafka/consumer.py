"""The one consumer loop: batch by batch, each message dispatched by its CloudEvent type to a handler.

A loop is given a table `{event type: handler}` (built with `on`, checked against the registry of payload
models, `shared.contracts.registry`) and runs in one of three modes:

- with a group (`group_id`): at-least-once; a batch is applied, then its offsets committed, and a handler
  that fails is retried until it succeeds, so a batch is never skipped (handlers are idempotent);
  `partition_hooks` let a member set up the partitions it is assigned and hand over those it loses;
- without a group (`group_id=None`), `run()`: every instance reads every message from the beginning and
  keeps following (the gateway's live counters, metrics' events, partners and counters);
- `replay()`: without a group, from the beginning up to the end offsets found when it starts (a rebuild).

A reader whose topic is its state (it commits nothing that matters and starts from the beginning) is given
a `ReadProgress`: it then knows when it has read what was on the topic when it started, and goes on from
where it was after a reconnect. With a group, its `assigned` hook seeks to the beginning (the merger).

One dead-letter policy: a message that is not a CloudEvent, whose type the table does not name, or whose
payload its type's model refuses, goes to the dead-letter topic with the error in its headers, and the
batch goes on without it, once: a group dead-letters what it is assigned; a reader without a group sees
every message again at each start, so it dead-letters only what it reads live (after catching up) and only
where `dead_letters_live(partition)` says this instance is the one, and logs what it skips otherwise.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from prometheus_client import Counter, Gauge
from pydantic import BaseModel

from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import TOMBSTONE
from shared.contracts.registry import PAYLOAD_TYPES, types_of
from shared.kafka.connection import KafkaConnection, start_or_stop
from shared.kafka.fetch_wait import QUIET_WAIT_MS, hold_fetches
from shared.kafka.partition_hooks import PartitionHooks, RebalanceListener
from shared.kafka.producer import Encoded, EventProducer
from shared.kafka.progress import ReadProgress
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
P = TypeVar("P", bound=BaseModel)
T = TypeVar("T")
P_co = TypeVar("P_co", bound=BaseModel, covariant=True)


@dataclass(frozen=True)
class Received:
    """A valid CloudEvent and where it came from."""

    topic: str
    partition: int
    offset: int
    key: str | None
    event: CloudEvent
    request_id: str | None


@dataclass(frozen=True)
class Fact(Generic[P_co]):
    """A consumed event whose payload passed its type's model."""

    payload: P_co
    received: Received

    @property
    def event(self) -> CloudEvent:
        return self.received.event


FactHandler = Callable[[Sequence[Fact[P]]], Awaitable[None]]
BatchHandler = Callable[[Sequence[Fact[Any]]], Awaitable[None]]
Table = Mapping[str, FactHandler[Any]]


class Undeliverable(ValueError):
    """A message no handler of this loop may take."""


def on(model: type[P], handle: FactHandler[P], *types: str) -> dict[str, FactHandler[Any]]:
    """Entries of a table: the types (every type the registry gives `model`, unless named) go to `handle`."""
    chosen = types or types_of(model)
    wrong = [type_ for type_ in chosen if PAYLOAD_TYPES.get(type_) is not model]
    if not chosen or wrong:
        raise ValueError(f"the registry gives {model.__name__} no type {wrong or ''}")
    return dict.fromkeys(chosen, handle)


def every_type(handle: BatchHandler) -> dict[str, FactHandler[Any]]:
    """Every registered type to one handler, which takes a batch's facts in order (a projection of them all)."""
    return dict.fromkeys(PAYLOAD_TYPES, handle)


def checked(received: Received) -> Fact[Any]:
    """The message with its payload checked against its type's model; raises ValueError when it does not fit."""
    return Fact(PAYLOAD_TYPES[received.event.type].model_validate(received.event.data), received)


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
    """Parse a record's value as a CloudEvent; raises ValueError (pydantic's ValidationError is one) when malformed."""
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
    """Fetches batches, dispatches each message by type, dead-letters what no handler may take, then commits.

    With `gather_ms`, while messages flow the broker holds a fetch up to that long for more (or 1 MiB of
    them), so a trickle is applied and committed in fewer, larger batches (`shared.kafka.fetch_wait`); 0
    answers as soon as any arrives. `handler` is the table `every_type(handler)`. With `wanted`, asked once
    per batch for the types its handlers take now, a message whose `ce_type` header names another type is
    passed over unread: neither parsed nor dead-lettered (a consumer that reads every fact does that).
    """

    def __init__(
        self,
        *,
        kafka: KafkaConnection,
        topics: Sequence[str],
        group_id: str | None,
        handlers: Table | None = None,
        handler: BatchHandler | None = None,
        producer: EventProducer | None = None,
        deadletter_topic: str | None = None,
        name: str | None = None,
        max_records: int = 5000,
        drain_timeout_s: float = 10.0,
        gather_ms: int = 0,
        partition_hooks: PartitionHooks | None = None,
        progress: ReadProgress | None = None,
        dead_letters_live: Callable[[int], bool] | None = None,
        wanted: Callable[[], Awaitable[Collection[str]]] | None = None,
    ) -> None:
        if handlers is None and handler is not None:
            handlers = every_type(handler)
        elif handlers is None or handler is not None:
            raise ValueError("give either a table of handlers or one handler for every type")
        if group_id is not None and (producer is None or deadletter_topic is None):
            raise ValueError("a group dead-letters: give it a producer and the dead-letter topic")
        if group_id is None and partition_hooks is not None:
            raise ValueError("partitions are assigned, and their hooks run, in a group only")
        if dead_letters_live is not None and (
            group_id is not None or progress is None or producer is None or deadletter_topic is None
        ):
            raise ValueError(
                "a reader without a group dead-letters live: give it progress, a producer and the topic"
            )
        self._table: Table = dict(handlers)
        self._kafka = kafka
        self._group_id = group_id
        self._name = name or group_id or "+".join(topics)
        self._topics = list(topics)
        self._producer = producer
        self._deadletter_topic = deadletter_topic
        self._max_records = max_records
        self._drain_timeout_s = drain_timeout_s
        self._gather_ms = gather_ms
        self._hooks = partition_hooks
        self._progress = progress
        self._dead_letters_live = dead_letters_live
        self._wanted = wanted
        # Held while a batch is applied and committed, and while partitions move, so neither sees the other.
        self._batch_lock = asyncio.Lock()
        self._to_set_up: frozenset[TopicPartition] | None = None  # an assignment (maybe empty) to set up
        self._stopping = asyncio.Event()
        self._next_offsets: dict[TopicPartition, int] = {}

    @classmethod
    def following(
        cls,
        kafka: KafkaConnection,
        topic: str,
        handlers: Table,
        *,
        name: str,
        progress: ReadProgress | None = None,
        producer: EventProducer | None = None,
        deadletter_topic: str | None = None,
        dead_letters_live: Callable[[int], bool] | None = None,
    ) -> ConsumerLoop:
        """A reader of every message of one topic, without a group, from its beginning and on (every
        instance of a service reads them all)."""
        return cls(
            kafka=kafka,
            topics=[topic],
            group_id=None,
            handlers=handlers,
            name=name,
            progress=progress,
            producer=producer,
            deadletter_topic=deadletter_topic,
            dead_letters_live=dead_letters_live,
        )

    async def run(self) -> None:
        """Consume until stop() is called; reconnects when the broker goes away."""
        while not self._stopping.is_set():
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                CONSUME_ERRORS.labels(self._name).inc()
                log.exception("consumer %s failed; restarting in 1s", self._name)
                await asyncio.sleep(1)

    def stop(self) -> None:
        self._stopping.set()

    async def replay(self) -> int:
        """Apply every message from the beginning up to the end offsets as of now; returns how many were read."""
        if self._group_id is not None:
            raise ValueError("a replay reads without a group")
        consumer = self._consumer()
        await start_or_stop(consumer)
        try:
            partitions = await _assigned(consumer, self._topics)
            await consumer.seek_to_beginning(*partitions)
            ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
            read = 0
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                batches = await consumer.getmany(timeout_ms=500, max_records=self._max_records)
                records = [r for tp, part in batches.items() for r in part if r.offset < ends[tp]]
                read += len(records)
                if records:
                    await self._apply(records)
            return read
        finally:
            await consumer.stop()

    def _consumer(self) -> AIOKafkaConsumer:
        hooks = self._hooks
        return AIOKafkaConsumer(
            *self._topics,
            **self._kafka.client_options(),
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=8 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
            fetch_min_bytes=1,  # a gathering loop holds fetches only while messages flow (hold_fetches)
            fetch_max_wait_ms=QUIET_WAIT_MS,
            # Without a group, or reading a topic as state, notice soon a topic created after the start.
            metadata_max_age_ms=5000 if self._group_id is None or self._progress else 300_000,
            partition_assignment_strategy=hooks.assignors if hooks else (RoundRobinPartitionAssignor,),
            # Members finish the batch in hand and hand over their partitions before they rejoin.
            rebalance_timeout_ms=hooks.rebalance_timeout_ms if hooks else None,
            heartbeat_interval_ms=hooks.heartbeat_interval_ms if hooks else 3000,
        )

    async def _run_once(self) -> None:
        hooks = self._hooks
        consumer = self._consumer()
        if hooks is not None:
            listener = RebalanceListener(hooks, self._batch_lock, consumer, self._take_assignment)
            consumer.subscribe(self._topics, listener=listener)
        await start_or_stop(consumer)
        try:
            if self._group_id is None and self._progress is not None:
                await self._resume_reading(consumer, self._progress)
            while not self._stopping.is_set():
                if self._to_set_up is not None:
                    await self._set_up_assigned(consumer)
                batches = await consumer.getmany(timeout_ms=200, max_records=self._max_records)
                records = [r for part in batches.values() for r in part]
                if self._gather_ms:
                    hold_fetches(consumer, self._gather_ms, flowing=bool(records))
                if records:
                    await self._finish_batch(consumer, records)
                progress = self._progress
                if progress is not None and self._to_set_up is None and (records or not progress.caught_up):
                    progress.moved({tp: await consumer.position(tp) for tp in consumer.assignment()})
                self._export_lag(consumer, records)
        finally:
            if hooks is not None:
                async with self._batch_lock:  # the partitions are lost with this member
                    self._to_set_up = None
                    await hooks.revoked(frozenset(consumer.assignment()))
            await consumer.stop()  # commits nothing more: only applied batches were committed

    async def _resume_reading(self, consumer: AIOKafkaConsumer, progress: ReadProgress) -> None:
        """Without a group: go on from where the last connection was, or note the ends of a fresh start."""
        partitions = await _assigned(consumer, self._topics)
        if not progress.positions:
            progress.restart(await consumer.end_offsets(list(partitions)))
        for tp in partitions:
            if tp in progress.positions:
                consumer.seek(tp, progress.positions[tp])

    def _take_assignment(self, assigned: frozenset[TopicPartition] | None) -> None:
        self._to_set_up = assigned
        if assigned is None and self._progress is not None:
            self._progress.lost()

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
                    HANDLER_ERRORS.labels(self._name).inc()
                    log.exception(
                        "consumer %s could not take up %s (attempt %d)", self._name, assigned, attempt
                    )
                    await asyncio.sleep(min(0.2 * 2**attempt, 5.0))
                    continue
                if self._to_set_up == assigned:  # not replaced by a newer assignment meanwhile
                    if self._progress is not None and assigned:  # the hook sought to the beginning
                        self._progress.restart(await consumer.end_offsets(list(assigned)))
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
                if self._group_id is not None:
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
        # Counted per topic per batch: a labelled counter per message cost 10% of a catch-up's CPU.
        for topic, count in collections.Counter(r.topic for r in records).items():
            CONSUMED.labels(self._name, topic).inc(count)
        routed: dict[FactHandler[Any], list[Fact[Any]]] = {}
        if self._wanted is not None:
            records = _named_among(records, await self._retrying(self._wanted))
        for record in records:
            try:
                fact = self._fact(record)
            except ValueError as exc:
                await self._reject(record, exc)
                continue
            routed.setdefault(self._table[fact.event.type], []).append(fact)
        if routed:
            facts = [fact for handled in routed.values() for fact in handled]
            _log_context(facts)
            with batch_span(f"{self._name} apply", (dict(r.headers or ()) for r in records)):
                for handle, handled in routed.items():  # in the order their first message came
                    await self._apply_valid(handle, handled)

    def _fact(self, record: ConsumerRecord[bytes, bytes]) -> Fact[Any]:
        """The message with its payload checked against its type's model; raises ValueError when it cannot be."""
        received = decode(record)
        type_ = received.event.type
        if type_ not in self._table:
            raise Undeliverable(f"type {type_!r} is not one consumer {self._name} takes")
        return checked(received)

    async def _apply_valid(self, handle: FactHandler[Any], facts: list[Fact[Any]]) -> None:
        await self._retrying(lambda: handle(facts))
        _log_applied(self._name, facts)

    async def _retrying(self, step: Callable[[], Awaitable[T]]) -> T:
        """A step of applying a batch, tried until it succeeds: a batch is never skipped."""
        attempt = 0
        while True:
            try:
                return await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                attempt += 1
                HANDLER_ERRORS.labels(self._name).inc()
                log.exception("consumer %s could not apply a batch (attempt %d)", self._name, attempt)
                await asyncio.sleep(min(0.2 * 2**attempt, 5.0))

    async def _reject(self, record: ConsumerRecord[bytes, bytes], error: Exception) -> None:
        where = f"{record.topic}[{record.partition}]@{record.offset}"
        if self._producer is None or self._deadletter_topic is None or not self._dead_letters(record):
            log.warning("%s skipped %s: %s", self._name, where, error)
            return
        DEADLETTERED.labels(self._name, record.topic).inc()
        headers = [
            ("error", str(error)[:2000].encode()),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("consumer_group", self._name.encode()),
        ]
        log.warning("dead-lettered %s: %s", where, error)
        await self._producer.send_encoded(
            [Encoded(self._deadletter_topic, record.key, record.value or b"", headers)]
        )

    def _dead_letters(self, record: ConsumerRecord[bytes, bytes]) -> bool:
        """Whether this instance dead-letters the record: a group always; a reader without one only live."""
        if self._group_id is not None:
            return True
        live = self._progress is not None and self._progress.caught_up
        return live and self._dead_letters_live is not None and self._dead_letters_live(record.partition)

    def _export_lag(self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        for record in records:
            self._next_offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = self._next_offsets.get(tp)
            if highwater is not None and position is not None:
                LAG.labels(self._name, tp.topic, str(tp.partition)).set(max(highwater - position, 0))


def _named_among(
    records: list[ConsumerRecord[bytes, bytes]], types: Collection[str]
) -> list[ConsumerRecord[bytes, bytes]]:
    """The records whose `ce_type` header names one of `types`, or names none (they are read to know)."""
    kept = []
    for record in records:
        named = next((value for name, value in record.headers or () if name == "ce_type"), None)
        if named is None or named.decode(errors="replace") in types:
            kept.append(record)
    return kept


async def _assigned(consumer: AIOKafkaConsumer, topics: list[str]) -> set[TopicPartition]:
    """The assignment of a consumer without a group once it covers every topic (metadata comes after start)."""
    for _ in range(300):
        partitions: set[TopicPartition] = consumer.assignment()
        if {tp.topic for tp in partitions} == set(topics):
            return partitions
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no partitions assigned for {topics}")


def _log_context(batch: Sequence[Fact[Any]]) -> None:
    """While a batch is handled, log lines carry its request id and CloudEvent id when it has only one."""
    request_ids = {fact.received.request_id for fact in batch}
    set_request_id(request_ids.pop() if len(request_ids) == 1 else None)
    set_ce_id(batch[0].event.id if len(batch) == 1 else None)


def _log_applied(name: str, batch: Sequence[Fact[Any]]) -> None:
    """One line per request whose events were applied, so a request can be followed into its consumers."""
    by_request: dict[str | None, list[Fact[Any]]] = {}
    for fact in batch:
        by_request.setdefault(fact.received.request_id, []).append(fact)
    for request_id, applied in by_request.items():
        set_request_id(request_id)
        set_ce_id(applied[0].event.id if len(applied) == 1 else None)
        types = sorted({fact.event.type for fact in applied})
        log.info("%s applied %d event(s): %s", name, len(applied), ", ".join(types))
