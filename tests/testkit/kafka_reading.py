"""Reading topics back in tests: every step (start, reads and end offsets, stop) within its own bound."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer

START_TIMEOUT_S = 30.0  # a loaded broker is slow to answer for a topic just created
STOP_TIMEOUT_S = 10.0


@asynccontextmanager
async def reading(bootstrap: str, topic: str, timeout_s: float) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer of `topic` from its start, groupless: started within its bound, used within `timeout_s`
    (what the test waits for), stopped within its bound."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    try:
        async with asyncio.timeout(START_TIMEOUT_S):
            await consumer.start()
        async with asyncio.timeout(timeout_s):
            yield consumer
    finally:
        async with asyncio.timeout(STOP_TIMEOUT_S):
            await consumer.stop()


async def _read(bootstrap: str, topic: str, count: int, timeout_s: float) -> tuple[list[Any], int]:
    """The first `count` records of `topic` and how many it holds in all, failing after timeout_s."""
    async with reading(bootstrap, topic, timeout_s) as consumer:
        records: list[Any] = []
        while len(records) < count or not consumer.assignment():
            batch = await consumer.getmany(timeout_ms=500)
            records.extend(r for part in batch.values() for r in part)
        held = sum((await consumer.end_offsets(list(consumer.assignment()))).values())
        return records, held


async def read_all(bootstrap: str, topic: str, count: int, timeout_s: float = 30) -> list[Any]:
    """Read `count` records from the start of `topic`, failing after timeout_s."""
    records, _ = await _read(bootstrap, topic, count, timeout_s)
    return records


async def read_exactly(bootstrap: str, topic: str, count: int, timeout_s: float = 30) -> list[Any]:
    """The CloudEvents (as dicts) of `topic`, asserting it holds exactly `count` records."""
    records, held = await _read(bootstrap, topic, count, timeout_s)
    assert held == count, f"{topic} holds {held} records, expected {count}"
    return [json.loads(r.value) for r in records]


async def read_to_end(bootstrap: str, topic: str, timeout_s: float = 30) -> list[dict[str, Any]]:
    """Every CloudEvent on `topic` now (from the start to the end offsets), decoded, in partition order."""
    async with reading(bootstrap, topic, timeout_s) as consumer:
        events: list[dict[str, Any]] = []

        async def fetch() -> None:
            batch = await consumer.getmany(timeout_ms=200)
            events.extend(json.loads(r.value) for part in batch.values() for r in part)

        while not consumer.assignment():
            await fetch()
        ends = await consumer.end_offsets(list(consumer.assignment()))
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            await fetch()
        return events
