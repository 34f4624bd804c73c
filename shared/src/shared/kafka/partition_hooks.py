"""Partition hooks: how a consumer that keeps state per partition learns of partitions moving."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.coordinator.assignors.range import RangePartitionAssignor


@dataclass(frozen=True)
class PartitionHooks:
    """What a consumer keeping state per partition is told as partitions move (eager rebalancing).

    `revoking` runs as soon as a rebalance starts, so that an `assigned` hook still setting up partitions
    that are about to move may stop early (they are not fetched). `revoked` runs once the batch in hand is
    applied and committed, before the group reassigns anything (and when the consumer stops). `assigned` runs in the loop before any record of the new assignment is
    fetched (the partitions are paused meanwhile, while heartbeats go on), so it may take its time
    restoring state; it may seek. The range assignor gives each member the same partition numbers of
    every topic it reads when those topics have equal partition counts (aiokafka's default, round-robin,
    does not).
    """

    assigned: Callable[[AIOKafkaConsumer, frozenset[TopicPartition]], Awaitable[None]]
    revoked: Callable[[frozenset[TopicPartition]], Awaitable[None]]
    revoking: Callable[[], None] = lambda: None
    assignors: tuple[type[Any], ...] = (RangePartitionAssignor,)
    # How long the group waits for members to rejoin: `revoked` may first finish a batch and hand state over.
    rebalance_timeout_ms: int = 30_000
    # How soon a member learns that a rebalance started, so that `assigned` stops setting up partitions
    # that move: at aiokafka's 3 s, the first of several members started together set all of them up.
    heartbeat_interval_ms: int = 1_000


def group_generation(consumer: AIOKafkaConsumer) -> int:
    """The consumer's group generation (aiokafka keeps it on its coordinator; -1 outside a group)."""
    coordinator = getattr(consumer, "_coordinator", None)
    return int(getattr(coordinator, "generation", -1))


class RebalanceListener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Hands aiokafka's rebalance callbacks to the hooks, in step with the consumer loop's batches."""

    def __init__(
        self,
        hooks: PartitionHooks,
        batch_lock: asyncio.Lock,
        consumer: AIOKafkaConsumer,
        take_assignment: Callable[[frozenset[TopicPartition] | None], None],
    ) -> None:
        self._hooks = hooks
        self._batch_lock = batch_lock
        self._consumer = consumer
        self._take_assignment = take_assignment

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._take_assignment(None)  # an assignment still being set up is void
        self._hooks.revoking()
        async with self._batch_lock:  # waits for the batch in hand to be applied and committed
            await self._hooks.revoked(frozenset(revoked))

    def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # Nothing of these partitions may be fetched before the loop has run the hook for them (which also
        # runs for an empty assignment: what was held is let go).
        self._consumer.pause(*assigned)
        self._take_assignment(frozenset(assigned))
