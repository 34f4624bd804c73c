"""Closing the segments of `pulse.participant-keys`, so that an erased participant's key leaves Kafka.

Kafka's log cleaner never cleans a partition's open segment, and a segment closes only at an append once it
is `segment.ms` old. Every `key_shred_s`, each registration instance appends a tombstone under a key that
names no one to every partition of the keys topic, so a segment holding an erased key and its tombstone
closes within two periods and the cleaner removes the key (docs/privacy.md, Erasure on Kafka).
"""

from __future__ import annotations

import asyncio
import logging

from shared.contracts.payloads import KEYS_ROLL_KEY
from shared.kafka.producer import Encoded, EventProducer

log = logging.getLogger(__name__)


async def roll_key_segments(producer: EventProducer, topic: str) -> int:
    """Append one nameless tombstone to every partition of the keys topic; returns how many."""
    partitions = sorted(await producer.partitions_for(topic))
    await producer.send_encoded(
        [Encoded(topic, KEYS_ROLL_KEY.encode(), None, [], partition=p) for p in partitions]
    )
    return len(partitions)


async def roll_periodically(producer: EventProducer, topic: str, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            await roll_key_segments(producer, topic)
        except Exception as exc:  # Kafka away: the next period appends instead
            log.warning("could not append to %s's partitions: %s", topic, exc)
