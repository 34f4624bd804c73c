"""Compaction: a partition's state is stored whole once its tail of segments has grown or gone quiet.

A restart restores a partition at C speed from its snapshot and merges only the segments after it one by
one (~20 us per fact), so the tail is kept short: a snapshot once the tail holds as many facts as the
snapshot (so a growing partition's snapshots cost at most twice its final size) and at least
`compaction_min_tail`, once it holds `compaction_max_segments` segments (a trickle of check-ins makes one
segment per batch), and once the partition has been quiet for `compaction_quiet_s` with any tail at all.
After an erasure it is compacted at the next check: the new snapshot holds the participant stripped and no
key of theirs, and the segments and snapshot that held their key are deleted (docs/privacy.md).
"""

from __future__ import annotations

import asyncio
import logging
import time

from metrics.config import MetricsSettings
from metrics.handlers.partitions import OwnedPartition, OwnedPartitions
from metrics.repository.codec import state_bytes
from metrics.repository.partition_store import PartitionStore

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0


class Compactor:
    def __init__(self, owned: OwnedPartitions, store: PartitionStore, settings: MetricsSettings) -> None:
        self._owned = owned
        self._store = store
        self._settings = settings

    def due(self, state: OwnedPartition, now: float) -> bool:
        if not state.live or not state.tail:
            return False
        settings = self._settings
        return (
            state.erasures > 0
            or state.tail >= max(settings.compaction_min_tail, len(state.facts) - state.tail)
            or len(state.segments) >= settings.compaction_max_segments
            or now - state.applied_at >= settings.compaction_quiet_s
        )

    async def run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_EVERY_S)
            for state in list(self._owned.held.values()):
                if self.due(state, time.monotonic()):
                    try:
                        await self.compact(state)
                    except Exception:
                        log.exception("could not compact partition %d; retrying later", state.number)

    async def compact(self, state: OwnedPartition) -> None:
        """Store the partition's state whole, then drop the segments it covers."""
        started = time.monotonic()
        raw = state_bytes(state.facts)  # on the loop: no merge may run while it is read
        covered, expected, tail, erasures = set(state.segments), state.head, state.tail, state.erasures
        offsets = (state.participants_offset, state.attendance_offset)
        head = await self._store.compact(state.number, raw, expected, covered, offsets)
        if head is None:
            log.warning(
                "partition %d was stored by another instance meanwhile; taking its state in", state.number
            )
            await self._owned.absorb(state, await self._store.restore(state.number))
            return
        if self._owned.held.get(state.number) is state:
            state.head = head
            state.segments -= covered
            state.tail -= tail
            state.erasures -= erasures  # one merged while this snapshot was written goes in the next
        log.info(
            "partition %d compacted: %d facts, %d segments dropped, %.2f MB, %.2f s",
            state.number, len(state.facts), len(covered), len(raw) / 1e6, time.monotonic() - started,
        )  # fmt: skip
