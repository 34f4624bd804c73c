"""Kafka subscriptions of the gateway: the snapshot hub (every instance reads every snapshot) and webhooks."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from prometheus_client import Gauge
from pydantic import ValidationError

from gateway.config import GatewaySettings
from gateway.handlers.live_counters import SnapshotHub
from gateway.handlers.webhook_intake import WebhookIntake
from shared.contracts.counters import CountersSnapshot
from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import COUNTERS_SNAPSHOT
from shared.kafka.connection import KafkaConnection
from shared.kafka.consumer import ConsumerLoop
from shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)

COUNTERS_LAG = Gauge("pulse_gateway_counters_lag", "Counters snapshots behind the end of the topic")
SSE_CLIENTS = Gauge("pulse_gateway_sse_clients", "Open counters streams")


def parse_snapshot(value: bytes | None) -> CountersSnapshot | None:
    """The snapshot in a record, or None for anything else (logged, never fatal: this is only a view)."""
    if value is None:
        return None
    try:
        event = CloudEvent.model_validate_json(value)
        if event.type != COUNTERS_SNAPSHOT:
            return None
        return CountersSnapshot.model_validate(event.data)
    except (ValueError, ValidationError) as exc:
        log.warning("ignored a malformed counters snapshot: %s", exc)
        return None


async def follow_counters(kafka: KafkaConnection, topic: str, hub: SnapshotHub) -> None:
    """Read every snapshot without a consumer group, so each gateway instance sees them all."""
    while True:
        consumer = AIOKafkaConsumer(
            topic,
            **kafka.client_options(),
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            metadata_max_age_ms=5000,  # notice the topic soon if it is created after we start
        )
        try:
            await consumer.start()
            next_offsets: dict[TopicPartition, int] = {}
            while True:
                batches = await consumer.getmany(timeout_ms=1000)
                for tp, records in batches.items():
                    for record in records:
                        snapshot = parse_snapshot(record.value)
                        if snapshot is not None:
                            hub.publish(snapshot)
                    next_offsets[tp] = records[-1].offset + 1
                _export_lag(consumer, next_offsets)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("counters consumer failed; restarting in 2 s")
            await asyncio.sleep(2)
        finally:
            await consumer.stop()


def _export_lag(consumer: AIOKafkaConsumer, next_offsets: dict[TopicPartition, int]) -> None:
    lag = 0
    for tp in consumer.assignment():
        highwater = consumer.highwater(tp)
        if highwater is not None:
            lag += max(highwater - next_offsets.get(tp, 0), 0)
    COUNTERS_LAG.set(lag)


def webhook_consumer(
    settings: GatewaySettings, intake: WebhookIntake, producer: EventProducer
) -> ConsumerLoop:
    """The gateway instances' group reading the facts webhooks tell of: each message once across instances."""
    topics = settings.topics
    return ConsumerLoop(
        kafka=settings.kafka,
        group_id=f"{settings.topic_prefix}gateway-webhooks",
        topics=[topics.participants, topics.attendance, topics.counters],
        handler=intake.apply,
        producer=producer,
        deadletter_topic=topics.deadletter,
    )
