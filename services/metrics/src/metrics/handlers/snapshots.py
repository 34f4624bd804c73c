"""Live snapshots on the compacted counters topic: coalesced, and only when a programme's figures change.

Each carries the exact figures and the current public release (docs/privacy.md, Release schedule).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from metrics.domain.disclosure import PublicReleases
from metrics.handlers.projection import Projection
from metrics.messages import snapshot_message
from shared.contracts.counters import CountersSnapshot, ProgrammeFigures
from shared.kafka.producer import EventProducer, Outgoing

log = logging.getLogger(__name__)


def _without_time(figures: ProgrammeFigures) -> ProgrammeFigures:
    return figures.model_copy(update={"updated_at": None})


@dataclass(frozen=True)
class _Published:
    exact: ProgrammeFigures  # without its time
    public: ProgrammeFigures
    public_seq: int


class SnapshotPublisher:
    """Publishes at most one snapshot per programme per interval, however many messages were folded."""

    def __init__(
        self,
        projection: Projection,
        releases: PublicReleases,
        producer: EventProducer,
        topic: str,
        min_interval_s: float,
    ):
        self._projection = projection
        self._releases = releases
        self._producer = producer
        self._topic = topic
        self._min_interval_s = min_interval_s
        self._published: dict[str, _Published] = {}
        self._seq = 0

    def _next_seq(self) -> int:
        # Milliseconds since the epoch keep seq growing across restarts of the service.
        self._seq = max(self._seq + 1, time.time_ns() // 1_000_000)
        return self._seq

    async def publish_changes(self) -> int:
        """Publish every programme whose exact or public figures changed since last published; returns how many."""
        outgoing: list[Outgoing] = []
        current: dict[str, _Published] = {}
        now = datetime.now(UTC)
        for programme_id, exact in self._projection.refresh().items():
            public = self._releases.release(programme_id, exact, now)
            last = self._published.get(programme_id)
            if last is not None and last.exact == _without_time(exact) and last.public is public:
                continue
            seq = self._next_seq()
            public_seq = last.public_seq if last is not None and last.public is public else seq
            current[programme_id] = _Published(_without_time(exact), public, public_seq)
            snapshot = CountersSnapshot(
                programme_id=programme_id, seq=seq, exact=exact, public=public, public_seq=public_seq
            )
            outgoing.append(snapshot_message(self._topic, snapshot))
        if outgoing:
            await self._producer.send(outgoing)
            self._published.update(current)
        return len(outgoing)

    async def run(self) -> None:
        """Wait for changes or a held public release; publish; rest at least the interval and twice the pass."""
        while True:
            due = self._releases.next_due()
            wait = None if due is None else max(0.0, (due - datetime.now(UTC)).total_seconds())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._projection.changed.wait(), wait)
            self._projection.changed.clear()
            started = time.monotonic()
            try:
                await self.publish_changes()
            except Exception:
                log.exception("could not publish counter snapshots; retrying")
                self._projection.changed.set()
            await asyncio.sleep(max(self._min_interval_s, 2 * (time.monotonic() - started)))
