"""How long the broker holds a gathering consumer's fetch: for more messages while they flow, not when quiet.

A consumer loop with `gather_ms` wants few, large batches while messages flow, so the broker holds each
fetch until it has 1 MiB or `gather_ms` has passed. Held like that while nothing flows, every fetch came back
empty after `gather_ms`: metrics' facts consumer asked for its 36 partitions 20 times a second, ~12 ms of its
CPU and ~20 ms of Kafka's per idle second (docs/performance.md). So a fetch is held for more only after a
batch that brought messages; after a wait that brought none, the broker answers at the first message (or
after QUIET_WAIT_MS, aiokafka's default), and that message starts gathering again.

aiokafka reads both settings from its fetcher as it builds each fetch, and takes them only at start, so they
are set there (aiokafka is pinned by uv.lock; `test_kafka_integration.py` fails if this stops working).
"""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer

GATHER_MIN_BYTES = 1024 * 1024
QUIET_WAIT_MS = 500


def hold_fetches(consumer: AIOKafkaConsumer, gather_ms: int, flowing: bool) -> None:
    """Set the next fetch's wait: gather for `gather_ms` while `flowing`, else answer at the first message.

    Call it as soon as a poll returns, before anything awaits: aiokafka sends the next fetch then.
    """
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is None:  # not started
        return
    fetcher._fetch_min_bytes = GATHER_MIN_BYTES if flowing else 1
    fetcher._fetch_max_wait_ms = gather_ms if flowing else QUIET_WAIT_MS
