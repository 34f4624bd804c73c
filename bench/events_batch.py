"""Throughput of `POST /v1/attendance:batch`: a 10,000-record batch against the real Kafka and MongoDB-wire server.

Runs the events app in-process (ASGI, with its lifespan) in a fresh database and topic prefix, posts one batch of
new records, then the same batch again (all duplicates), and prints records/s with the machine's cores and memory.
The number is reported, not asserted.

    KAFKA_BOOTSTRAP=127.0.0.1:29092 MONGO_URL=mongodb://127.0.0.1:47017/ .venv/bin/python bench/events_batch.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulse_bench.report import machine
from testkit import principals
from testkit.events_bodies import as_partner, attendance_record, batch_body, event_body
from testkit.events_service import running

from events.config import EventsSettings
from shared.mongo.client import make_mongo_client


async def bench(records_count: int, keep: bool, publish: bool) -> None:
    name = f"bench{uuid.uuid4().hex[:10]}"
    settings = EventsSettings(
        kafka_bootstrap=os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        mongo_url=os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/"),
        mongo_db=name,
        topic_prefix=f"{name}.",
        topic_partitions=1,
        log_level="WARNING",
        principal_public_key=principals.PUBLIC_KEY,  # as_partner signs with the test pair
    )
    try:
        async with running(settings) as service:
            event = await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))
            event_id = event.json()["id"]
            body = batch_body(attendance_record(event_id, f"p-{n}") for n in range(records_count))
            for label in ("new records", "replayed (duplicates)"):
                started = time.perf_counter()
                answer = await service.client.post(
                    "/v1/attendance:batch", json=body, headers=as_partner("ucl"), timeout=300
                )
                elapsed = time.perf_counter() - started
                statuses = Counter(r["status"] for r in answer.json()["results"])
                print(
                    f"{label:>22}: {records_count} records in {elapsed:.2f}s = "
                    f"{records_count / elapsed:,.0f} records/s  {dict(statuses)}"
                )
            if publish:
                started = time.perf_counter()
                await service.settled(timeout_s=600)
                elapsed = time.perf_counter() - started
                print(f"{'published to Kafka':>22}: outbox drained {elapsed:.2f}s after the answer")
    finally:
        if not keep:
            client = make_mongo_client(settings.mongo_url)
            await client.drop_database(name)
            await client.close()
    print(f"machine: {machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument(
        "--publish", action="store_true", help="also time the outbox relay publishing to Kafka"
    )
    args = parser.parse_args()
    asyncio.run(bench(args.records, args.keep, args.publish))


if __name__ == "__main__":
    main()
