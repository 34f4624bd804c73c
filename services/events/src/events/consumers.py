"""Kafka subscriptions of the events service."""

from __future__ import annotations

from collections.abc import Sequence

from events.context import EventsContext
from events.handlers.participants import participants_changed, participants_erased
from shared.contracts.payloads import ParticipantChanged, ParticipantErased
from shared.kafka.consumer import ConsumerLoop, Fact, on
from shared.kafka.producer import EventProducer


def participants_consumer(ctx: EventsContext, producer: EventProducer) -> ConsumerLoop:
    """Keeps the known and erased participants from `pulse.participants` (one instance of the group each)."""
    settings = ctx.settings

    async def changed(facts: Sequence[Fact[ParticipantChanged]]) -> None:
        await participants_changed(ctx, [fact.payload for fact in facts])

    async def erased(facts: Sequence[Fact[ParticipantErased]]) -> None:
        await participants_erased(ctx, [fact.payload for fact in facts])

    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}events-participants",
        topics=[settings.topics.participants],
        handlers={**on(ParticipantChanged, changed), **on(ParticipantErased, erased)},
        producer=producer,
        deadletter_topic=settings.topics.deadletter,
    )
