"""Kafka subscriptions of the events service."""

from __future__ import annotations

from collections.abc import Sequence

from events.config import EventsSettings
from events.handlers.participants import apply_participant_facts
from events.repository.stores import Repository
from shared.kafka.consumer import ConsumerLoop, Received
from shared.kafka.producer import EventProducer
from shared.mongo.outbox import OutboxRelay


def participants_consumer(
    settings: EventsSettings, repo: Repository, producer: EventProducer, relay: OutboxRelay
) -> ConsumerLoop:
    """Keeps the known-participants projection from `pulse.participants`."""

    async def handle(batch: Sequence[Received]) -> None:
        await apply_participant_facts(batch, settings, repo, relay)

    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}events-participants",
        topics=[settings.topics.participants],
        handler=handle,
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
    )
