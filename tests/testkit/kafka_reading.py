"""Reading topics back in tests."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer


async def read_all(bootstrap: str, topic: str, count: int, timeout_s: float = 30) -> list[Any]:
    """Read `count` records from the start of `topic`, failing after timeout_s."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        records: list[Any] = []
        async with asyncio.timeout(timeout_s):
            while len(records) < count:
                batch = await consumer.getmany(timeout_ms=500)
                records.extend(r for part in batch.values() for r in part)
        return records
    finally:
        await consumer.stop()
