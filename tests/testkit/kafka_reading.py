"""Reading topics back in tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiokafka import AIOKafkaConsumer


async def _read(bootstrap: str, topic: str, count: int, timeout_s: float) -> tuple[list[Any], int]:
    """The first `count` records of `topic` and how many it holds in all, failing after timeout_s."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        records: list[Any] = []
        async with asyncio.timeout(timeout_s):
            while len(records) < count or not consumer.assignment():
                batch = await consumer.getmany(timeout_ms=500)
                records.extend(r for part in batch.values() for r in part)
        held = sum((await consumer.end_offsets(list(consumer.assignment()))).values())
        return records, held
    finally:
        await consumer.stop()


async def read_all(bootstrap: str, topic: str, count: int, timeout_s: float = 30) -> list[Any]:
    """Read `count` records from the start of `topic`, failing after timeout_s."""
    records, _ = await _read(bootstrap, topic, count, timeout_s)
    return records


async def read_exactly(bootstrap: str, topic: str, count: int, timeout_s: float = 30) -> list[Any]:
    """The CloudEvents (as dicts) of `topic`, asserting it holds exactly `count` records."""
    records, held = await _read(bootstrap, topic, count, timeout_s)
    assert held == count, f"{topic} holds {held} records, expected {count}"
    return [json.loads(r.value) for r in records]
