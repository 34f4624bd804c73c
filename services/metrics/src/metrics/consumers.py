"""The metrics consumer group over the three fact topics."""

from __future__ import annotations

from collections.abc import Sequence

from metrics.config import MetricsSettings
from metrics.handlers.projection import Projection
from shared.kafka.consumer import ConsumerLoop, Received
from shared.kafka.producer import Encoded, EventProducer, encode, headers_for


def fact_consumer(settings: MetricsSettings, projection: Projection, producer: EventProducer) -> ConsumerLoop:
    """A consumer loop folding participants, events and attendance into the projection."""
    topics = settings.topics

    async def deadletter(received: Received, error: Exception) -> None:
        headers = [
            *headers_for(received.event, received.request_id),
            ("error", str(error)[:2000].encode()),
            ("original_topic", received.topic.encode()),
            ("original_partition", str(received.partition).encode()),
            ("original_offset", str(received.offset).encode()),
            ("consumer_group", settings.consumer_group.encode()),
        ]
        key = received.key.encode() if received.key is not None else None
        await producer.send_encoded([Encoded(topics.deadletter, key, encode(received.event), headers)])

    async def handle(batch: Sequence[Received]) -> None:
        await projection.apply(batch, on_invalid=deadletter)

    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=settings.consumer_group,
        topics=[topics.participants, topics.events, topics.attendance],
        handler=handle,
        producer=producer,
        deadletter_topic=topics.deadletter,
        max_records=settings.batch_max_records,
        gather_ms=settings.batch_gather_ms,
    )
