"""Kafka subscriptions of the metrics service (docs/architecture.md, Metrics partitions and merge).

- the fact partitions: `pulse.participants`, `pulse.attendance` and `pulse.participant-keys` in the group
  `<prefix>metrics`, each member given the same partition numbers of all three (range assignor, equal
  partition counts);
- `pulse.events`, `pulse.partners` and `pulse.counters`, read in full by every instance;
- `pulse.partials` in the group `<prefix>metrics-merge`, whose one partition makes its holder the merger.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition

from metrics.config import MetricsSettings
from metrics.handlers.counters_view import CountersView
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.merger import Merger
from metrics.handlers.partial_publisher import PartialPublisher
from metrics.handlers.partitions import Committed, OwnedPartitions
from metrics.handlers.partners_feed import PartnersFeed
from shared.contracts.counters import CountersSnapshot
from shared.contracts.partials import PartitionPartial
from shared.contracts.payloads import EventChanged, PartnerChanged
from shared.kafka.consumer import ConsumerLoop, Fact, on
from shared.kafka.partition_hooks import PartitionHooks, group_generation
from shared.kafka.producer import EventProducer
from shared.kafka.progress import ReadProgress
from shared.kafka.topics_admin import partition_counts

log = logging.getLogger(__name__)


class PartitionMismatch(RuntimeError):
    """The participants, attendance and keys topics have different partition counts."""


def fact_topics(settings: MetricsSettings) -> tuple[str, str, str]:
    """The co-partitioned topics a metrics owner consumes: a participant's facts share a partition number."""
    topics = settings.topics
    return (topics.participants, topics.attendance, topics.participant_keys)


async def fact_partition_count(settings: MetricsSettings) -> int:
    """The partition count of the participants, attendance and keys topics (waiting until all exist)."""
    topics = fact_topics(settings)
    counts = await partition_counts(settings.kafka, topics)
    if len(set(counts.values())) != 1:
        found = ", ".join(f"{topic} has {count}" for topic, count in counts.items())
        raise PartitionMismatch(
            f"{found} partitions: metrics needs the same count on all, so that a participant's facts, "
            "attendance and data key share a partition number; add partitions to the smaller ones "
            "(docs/scaling.md)"
        )
    return counts[topics[0]]


def paired_partitions(assigned: frozenset[TopicPartition], settings: MetricsSettings) -> set[int]:
    """The partition numbers assigned, which must be the same for every fact topic."""
    numbers = {
        topic: {tp.partition for tp in assigned if tp.topic == topic} for topic in fact_topics(settings)
    }
    first, *others = numbers.values()
    if any(other != first for other in others):
        raise PartitionMismatch(f"assigned different partitions of the fact topics: {numbers}")
    return first


def fact_consumer(
    settings: MetricsSettings,
    owned: OwnedPartitions,
    feed: EventsFeed,
    publisher: PartialPublisher,
    producer: EventProducer,
) -> ConsumerLoop:
    """The owner of this instance's fact partitions: folds their batches, takes up and lets go of them."""
    topics = settings.topics
    joined = False

    async def assigned(consumer: AIOKafkaConsumer, partitions: frozenset[TopicPartition]) -> None:
        nonlocal joined
        numbers = paired_partitions(partitions, settings)
        await feed.caught_up.wait()  # a partition's figures need every event there is
        started = time.monotonic()
        if not joined:  # others started with this instance may be joining: restore what stays with it
            joined = True
            await owned.settle(settings.join_settle_s)
        committed: dict[int, Committed] = {}
        for n in sorted(numbers):
            offsets = [await consumer.committed(TopicPartition(t, n)) or 0 for t in fact_topics(settings)]
            committed[n] = (offsets[0], offsets[1], offsets[2])
        owned.generation = group_generation(consumer)
        replay = await owned.take_up(committed)
        if replay:
            await consumer.seek_to_beginning(*(tp for tp in partitions if tp.partition in replay))
        log.info(
            "took up partitions %s (generation %d, %d facts held) in %.2f s",
            sorted(numbers), owned.generation, owned.facts_held(), time.monotonic() - started,
        )  # fmt: skip

    async def revoked(partitions: frozenset[TopicPartition]) -> None:
        numbers = {tp.partition for tp in partitions}
        try:
            await publisher.publish_due(numbers)  # the latest partial stands until the next owner's
        finally:
            owned.release(numbers)

    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=settings.consumer_group,
        topics=list(fact_topics(settings)),
        handler=owned.apply,
        producer=producer,
        deadletter_topic=topics.deadletter,
        max_records=settings.batch_max_records,
        gather_ms=settings.batch_gather_ms,
        partition_hooks=PartitionHooks(assigned=assigned, revoked=revoked, revoking=owned.interrupt),
    )


def events_reader(
    settings: MetricsSettings, feed: EventsFeed, owned: OwnedPartitions, producer: EventProducer
) -> ConsumerLoop:
    """Every instance reads every event; an invalid one read live is dead-lettered by the instance owning
    the fact partition of the same number, so by one."""

    async def handle(facts: Sequence[Fact[EventChanged]]) -> None:
        owned.events_read(feed.read(facts))

    return ConsumerLoop.following(
        settings.kafka,
        settings.topics.events,
        on(EventChanged, handle),
        name=f"{settings.consumer_group}-events",
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
        progress=ReadProgress(on_caught_up=lambda: _caught_up(feed), on_moved=feed.moved_to),
        dead_letters_live=owned.owns,
    )


def _caught_up(feed: EventsFeed) -> None:
    log.info("read the %d events on the events topic", len(feed.events))
    feed.caught_up.set()


def partners_reader(settings: MetricsSettings, partners: PartnersFeed, merger: Merger) -> ConsumerLoop:
    """Every instance reads every partner's name; the merger publishes again when one changes."""

    async def handle(facts: Sequence[Fact[PartnerChanged]]) -> None:
        if partners.read(fact.payload for fact in facts):
            merger.changed.set()

    def caught_up() -> None:
        partners.caught_up.set()
        merger.changed.set()

    return ConsumerLoop.following(
        settings.kafka,
        settings.topics.partners,
        on(PartnerChanged, handle),
        name=f"{settings.consumer_group}-partners",
        progress=ReadProgress(on_caught_up=caught_up),
    )


def counters_reader(settings: MetricsSettings, view: CountersView) -> ConsumerLoop:
    async def handle(facts: Sequence[Fact[CountersSnapshot]]) -> None:
        view.read(fact.payload for fact in facts)

    return ConsumerLoop.following(
        settings.kafka,
        settings.topics.counters,
        on(CountersSnapshot, handle),
        name=f"{settings.consumer_group}-counters",
        progress=ReadProgress(on_caught_up=view.caught_up.set),
    )


def partials_reader(settings: MetricsSettings, merger: Merger, producer: EventProducer) -> ConsumerLoop:
    """The group whose one partition makes its holder the merger: it reads the partials from the beginning."""

    async def handle(facts: Sequence[Fact[PartitionPartial]]) -> None:
        merger.read(fact.payload for fact in facts)

    async def assigned(consumer: AIOKafkaConsumer, partitions: frozenset[TopicPartition]) -> None:
        if partitions:  # a member given nothing waits for the next assignment
            await consumer.seek_to_beginning(*partitions)
            merger.take_over()

    async def revoked(partitions: frozenset[TopicPartition]) -> None:
        merger.step_down()

    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=settings.merge_group,
        topics=[settings.topics.partials],
        handlers=on(PartitionPartial, handle),
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
        partition_hooks=PartitionHooks(assigned=assigned, revoked=revoked),
        progress=ReadProgress(on_caught_up=merger.read_to_end),
    )
