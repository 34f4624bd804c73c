"""Catch-up throughput of the metrics service: how many fact events per second it folds from a backlog.

Produces a generated programme of at least 200,000 events (participants with updates and erasures, events,
attendance with redeliveries) into fresh topics, then starts the metrics service as its own process and
times it until its exact counters equal a direct recomputation. Then restarts it and times how long it
takes to answer again from the stored fact segments. Reported, not asserted.

    KAFKA_BOOTSTRAP=127.0.0.1:29092 MONGO_URL=mongodb://127.0.0.1:47017/ .venv/bin/python bench/metrics_catchup.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import httpx
from testkit.facts import expected_figures, generate_programme
from testkit.metrics_kit import MetricsProcess, admin_figures, produce, wait_for_figures

from metrics.config import MetricsSettings
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.client import make_mongo_client


def machine() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory_gib:.1f} GiB, Python {platform.python_version()}"


async def first_answer(client: httpx.AsyncClient) -> float:
    for _ in range(6000):
        if await admin_figures(client) is not None:
            return time.perf_counter()
        await asyncio.sleep(0.05)
    raise TimeoutError("the metrics service never answered")


async def bench(attendances: int, partitions: int, keep: bool) -> None:
    import random

    name = f"bench{uuid.uuid4().hex[:10]}"
    settings = MetricsSettings(
        kafka_bootstrap=os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        mongo_url=os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/"),
        mongo_db=name,
        topic_prefix=f"{name}.",
        topic_partitions=partitions,
    )
    print(f"machine: {machine()}")
    programme = generate_programme(
        random.Random(1),
        participants=attendances // 10,
        events=max(attendances // 1000, 10),
        attendances=attendances,
    )
    count = len(programme.messages)
    wanted = expected_figures(programme)
    await ensure_topics(settings.kafka_bootstrap, settings.topics, partitions=partitions, replication=1)
    started = time.perf_counter()
    await produce(settings, programme.messages)
    print(f"produced {count:,} events in {time.perf_counter() - started:.1f}s")

    service = MetricsProcess(settings, Path(tempfile.gettempdir()) / f"{name}-metrics.log")
    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
            started = time.perf_counter()
            service.start()
            answering = await first_answer(client)
            final = await wait_for_figures(client, wanted, timeout_s=1800)
            done = time.perf_counter()
            print(
                f"caught up with {count:,} events in {done - started:.1f}s from process start "
                f"= {count / (done - started):,.0f} events/s; {count / (done - answering):,.0f} events/s "
                f"after the service answered (group join included); attendances={final.attendances:,}"
            )
            service.stop()
            started = time.perf_counter()
            service.start()
            answered = await first_answer(client) - started
            print(f"restart: answering from the stored fact segments after {answered:.1f}s")
    finally:
        service.stop()
        if not keep:
            mongo = make_mongo_client(settings.mongo_url)
            await mongo.drop_database(name)
            await mongo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--attendances", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    asyncio.run(bench(args.attendances, args.partitions, args.keep))


if __name__ == "__main__":
    main()
