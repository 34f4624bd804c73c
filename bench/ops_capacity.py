"""Rough capacity of one machine's parts, for docs/scaling.md: Kafka produce/consume and MongoDB-wire writes.

Run: KAFKA_BOOTSTRAP=... MONGO_URL=... .venv/bin/python bench/ops_capacity.py [N]
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid

from aiokafka import AIOKafkaConsumer

from shared.contracts.envelope import new_event
from shared.contracts.payloads import ATTENDANCE_RECORDED, AttendanceRecorded
from shared.contracts.topics import Topics
from shared.kafka.connection import KafkaConnection
from shared.kafka.producer import EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.client import make_mongo_client


def attendance(n: int) -> AttendanceRecorded:
    return AttendanceRecorded.model_validate(
        {
            "attendance_id": f"a{n}",
            "programme_id": "resilience",
            "event_id": f"e{n % 170}",
            "participant_id": f"p{n}",
            "partner_id": "ucl",
            "checkin_id": f"c{n}",
            "checked_in_at": "2026-03-01T10:00:00+00:00",
        }
    )


async def main(n: int) -> None:
    bootstrap, mongo_url = os.environ["KAFKA_BOOTSTRAP"], os.environ["MONGO_URL"]
    run = f"bench{uuid.uuid4().hex[:8]}"
    topics = Topics(prefix=f"{run}.")
    await ensure_topics(KafkaConnection(bootstrap), topics, partitions=3, replication=1)
    events = [
        new_event(source="/bench", type=ATTENDANCE_RECORDED, subject=f"a{i}", data=attendance(i))
        for i in range(n)
    ]

    producer = EventProducer(KafkaConnection(bootstrap), client_id=run)
    start = time.perf_counter()
    for i in range(0, n, 5000):
        await producer.send([Outgoing(topics.attendance, e.id, e) for e in events[i : i + 5000]])
    produce_s = time.perf_counter() - start
    await producer.stop()

    consumer = AIOKafkaConsumer(
        topics.attendance,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=run,
        enable_auto_commit=False,
    )
    await consumer.start()
    start, seen = time.perf_counter(), 0
    while seen < n:
        batches = await consumer.getmany(timeout_ms=500, max_records=5000)
        seen += sum(len(b) for b in batches.values())
    consume_s = time.perf_counter() - start
    await consumer.stop()

    client = make_mongo_client(mongo_url)
    collection = client[run]["attendance"]
    docs = [{"_id": e.id, **e.model_dump(mode="json")} for e in events]
    start = time.perf_counter()
    for i in range(0, n, 1000):
        await collection.insert_many(docs[i : i + 1000], ordered=False)
    insert_s = time.perf_counter() - start
    await client.drop_database(run)
    await client.close()

    print(f"events={n} cpus={os.cpu_count()}")
    print(f"kafka produce (acks=all, idempotent, batches of 5000): {n / produce_s:,.0f}/s")
    print(f"kafka consume (3 partitions, one consumer): {n / consume_s:,.0f}/s")
    print(f"mongo insert_many (batches of 1000, unordered): {n / insert_s:,.0f}/s")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
