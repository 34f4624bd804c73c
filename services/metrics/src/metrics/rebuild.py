"""Rebuild: replay every fact topic from the beginning into empty projections and print the figures.

`python -m metrics.rebuild [--keep]` reads the same settings as the service. It writes into its scratch
database `<database>_rebuild` (emptied first; never the live one, and one the service's own MongoDB user
may write), stops at the end offsets it found when it began, and then derives the figures from what it
stored, so the output can be compared with the live counters. Run one rebuild at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from metrics.config import MetricsSettings
from metrics.handlers.projection import Projection
from metrics.repository.segments import FactSegments
from shared.contracts.counters import ProgrammeFigures
from shared.kafka.consumer import Received, decode
from shared.mongo.client import make_mongo_client


async def _all_partitions(consumer: AIOKafkaConsumer, topics: list[str]) -> set[TopicPartition]:
    """The consumer's assignment once it covers every topic (the metadata arrives just after start)."""
    for _ in range(300):
        partitions: set[TopicPartition] = consumer.assignment()
        if {tp.topic for tp in partitions} == set(topics):
            return partitions
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no partitions assigned for {topics}")


async def replay_topics(settings: MetricsSettings, projection: Projection) -> int:
    """Fold every message up to the current end of the fact topics; returns how many were read."""
    topics = [settings.topics.participants, settings.topics.events, settings.topics.attendance]
    # Without a group, a subscribing consumer is given every partition and starts from the beginning.
    consumer = AIOKafkaConsumer(
        *topics,
        **settings.kafka.client_options(),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        partitions = await _all_partitions(consumer, topics)
        await consumer.seek_to_beginning(*partitions)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        read = 0
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batches = await consumer.getmany(timeout_ms=500, max_records=settings.batch_max_records)
            valid: list[Received] = []
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    read += 1
                    try:
                        valid.append(decode(record))
                    except (ValueError, ValidationError):
                        continue  # the live consumer dead-lettered it; it never counted
            await projection.apply(valid)
        return read
    finally:
        await consumer.stop()


async def rebuild(settings: MetricsSettings, *, keep: bool = False) -> dict[str, ProgrammeFigures]:
    """Replay into the emptied scratch database and return every programme's exact figures derived from it."""
    name = f"{settings.database_name}_rebuild"
    mongo = make_mongo_client(settings.mongo_url)
    try:
        await mongo.drop_database(name)  # what a kept or interrupted rebuild left
        db = mongo[name]
        await replay_topics(settings, Projection(FactSegments(db), settings))
        stored = Projection(FactSegments(db), settings)
        await stored.load()
        return stored.refresh()
    finally:
        if not keep:
            await mongo.drop_database(name)
        await mongo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--keep", action="store_true", help="keep the rebuilt database instead of dropping it"
    )
    args = parser.parse_args()
    figures = asyncio.run(rebuild(MetricsSettings(), keep=args.keep))
    print(json.dumps({pid: f.model_dump(mode="json") for pid, f in figures.items()}, indent=2))


if __name__ == "__main__":
    main()
