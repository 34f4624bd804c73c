"""Kafka subscriptions of the gateway: the live counters (every instance reads every snapshot) and webhooks."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Gauge

from gateway.config import GatewaySettings
from gateway.handlers.live_counters import SnapshotHub
from gateway.handlers.webhook_intake import WebhookIntake
from shared.contracts.counters import CountersSnapshot
from shared.kafka.consumer import ConsumerLoop, Fact, on
from shared.kafka.producer import EventProducer

SSE_CLIENTS = Gauge("pulse_gateway_sse_clients", "Open counters streams")
# Webhooks wait up to this long for more facts per fetch: at a door rush a batch of check-ins costs one read
# of the endpoints and one offset commit instead of one each (docs/performance.md).
WEBHOOK_GATHER_MS = 100


def counters_follower(settings: GatewaySettings, hub: SnapshotHub) -> ConsumerLoop:
    """Every snapshot, read without a group from the beginning, so each gateway instance holds them all."""

    async def publish(facts: Sequence[Fact[CountersSnapshot]]) -> None:
        for fact in facts:
            hub.publish(fact.payload)

    return ConsumerLoop.following(
        settings.kafka,
        settings.topics.counters,
        on(CountersSnapshot, publish),
        name=f"{settings.topic_prefix}gateway-counters",
    )


def webhook_consumer(
    settings: GatewaySettings, intake: WebhookIntake, producer: EventProducer
) -> ConsumerLoop:
    """The gateway instances' group reading the facts webhooks tell of: each message once across instances."""
    topics = settings.topics
    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}gateway-webhooks",
        topics=[topics.participants, topics.attendance, topics.counters],
        handlers=intake.handlers(),
        producer=producer,
        deadletter_topic=topics.deadletter,
        gather_ms=WEBHOOK_GATHER_MS,
        wanted=intake.wanted,
    )
