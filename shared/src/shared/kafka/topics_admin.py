"""Create the topics of docs/architecture.md with their retention and partitioning, if they do not exist."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from shared.contracts.topics import Topics
from shared.kafka.connection import KafkaConnection

# Fact topics keep their whole history so metrics can rebuild from the beginning (partners: every
# partner's latest name is always there to read).
_KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1"}
# Readers of a compacted topic start from its beginning, and only closed segments are compacted: with
# Kafka's 1 GiB segments a metrics instance taking over the merge read every partial ever published (417 MB
# after two million attendances) before it could publish. Small segments, compacted once a tenth is stale.
_COMPACTED = {
    "cleanup.policy": "compact",
    "segment.bytes": str(16 * 1024 * 1024),
    "segment.ms": str(10 * 60 * 1000),
    "min.cleanable.dirty.ratio": "0.1",
}
# A partial lists its partition's leader organisations by cell, so it grows with them (~0.4 MB for 12,500
# organisations); the producer sends up to 4 MiB.
_PARTIALS = _COMPACTED | {"max.message.bytes": str(4 * 1024 * 1024)}


def keys_topic_config(shred_s: float) -> dict[str, str]:
    """Data keys: an erasure's tombstone must make the cleaner remove the key soon (docs/privacy.md states
    the bound). Only a closed segment is cleaned and a segment closes at an append once it is `segment.ms`
    old (registration appends to every partition every `shred_s`); it is then cleaned once any of it is
    stale, at the latest `max.compaction.lag.ms` on, and the tombstone goes `delete.retention.ms` later."""
    ms = str(int(shred_s * 1000))
    return {
        "cleanup.policy": "compact",
        "segment.ms": ms,
        "min.cleanable.dirty.ratio": "0.01",
        "max.compaction.lag.ms": ms,
        "delete.retention.ms": ms,
        "min.compaction.lag.ms": "0",
    }


async def ensure_topics(
    kafka: KafkaConnection, topics: Topics, *, partitions: int, replication: int, key_shred_s: float = 60.0
) -> None:
    """Create any missing topic; existing topics are left as they are."""
    admin = AIOKafkaAdminClient(**kafka.client_options(), request_timeout_ms=15000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(topics.participants, partitions, replication, topic_configs=_KEEP_FOREVER),
            # Same partition count as participants: metrics' owners read both for the same participant.
            NewTopic(
                topics.participant_keys, partitions, replication, topic_configs=keys_topic_config(key_shred_s)
            ),
            NewTopic(topics.events, partitions, replication, topic_configs=_KEEP_FOREVER),
            NewTopic(topics.attendance, partitions, replication, topic_configs=_KEEP_FOREVER),
            NewTopic(topics.partners, partitions, replication, topic_configs=_KEEP_FOREVER),
            NewTopic(topics.counters, 1, replication, topic_configs=_COMPACTED),
            NewTopic(topics.deadletter, 1, replication, topic_configs=_KEEP_FOREVER),
            NewTopic(topics.partials, 1, replication, topic_configs=_PARTIALS),
        ]
        missing = [t for t in wanted if t.name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another service created it meanwhile
                await admin.create_topics(missing)
    finally:
        await admin.close()


async def partition_counts(
    kafka: KafkaConnection, topics: Sequence[str], *, poll_s: float = 0.5
) -> dict[str, int]:
    """Each topic's partition count, once all of them exist (another service may be creating them).

    Reads the metadata of every topic: asking for named ones could make a broker that auto-creates topics
    create them, with its defaults rather than ours."""
    admin = AIOKafkaAdminClient(**kafka.client_options(), request_timeout_ms=15000)
    await admin.start()
    try:
        while True:
            described = await admin.describe_topics(None)
            counts = {d["topic"]: len(d["partitions"]) for d in described if d["topic"] in topics}
            if len(counts) == len(set(topics)) and all(counts.values()):
                return counts
            await asyncio.sleep(poll_s)
    finally:
        await admin.close()
