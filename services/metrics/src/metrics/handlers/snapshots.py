"""Live snapshots on the compacted counters topic: coalesced, and only when a programme's figures change."""

from __future__ import annotations

import asyncio
import logging
import time

from metrics.domain.disclosure import public_figures
from metrics.handlers.projection import Projection
from metrics.messages import snapshot_message
from shared.contracts.counters import CountersSnapshot, ProgrammeFigures
from shared.kafka.producer import EventProducer, Outgoing

log = logging.getLogger(__name__)


def _without_time(figures: ProgrammeFigures) -> ProgrammeFigures:
    return figures.model_copy(update={"updated_at": None})


class SnapshotPublisher:
    """Publishes at most one snapshot per programme per interval, however many messages were folded."""

    def __init__(self, projection: Projection, producer: EventProducer, topic: str, min_interval_s: float):
        self._projection = projection
        self._producer = producer
        self._topic = topic
        self._min_interval_s = min_interval_s
        self._published: dict[str, ProgrammeFigures] = {}
        self._seq = 0

    def _next_seq(self) -> int:
        # Milliseconds since the epoch keep seq growing across restarts of the service.
        self._seq = max(self._seq + 1, time.time_ns() // 1_000_000)
        return self._seq

    async def publish_changes(self) -> int:
        """Publish every programme whose exact figures differ from the last published; returns how many."""
        outgoing: list[Outgoing] = []
        current: dict[str, ProgrammeFigures] = {}
        for programme_id, exact in self._projection.refresh().items():
            current[programme_id] = _without_time(exact)
            if self._published.get(programme_id) == current[programme_id]:
                continue
            snapshot = CountersSnapshot(
                programme_id=programme_id, seq=self._next_seq(), exact=exact, public=public_figures(exact)
            )
            outgoing.append(snapshot_message(self._topic, snapshot))
        if outgoing:
            await self._producer.send(outgoing)
            self._published.update({o.key: current[o.key] for o in outgoing})
        return len(outgoing)

    async def run(self) -> None:
        """Wait for changes; publish; rest at least the interval and twice the time the pass took."""
        while True:
            await self._projection.changed.wait()
            self._projection.changed.clear()
            started = time.monotonic()
            try:
                await self.publish_changes()
            except Exception:
                log.exception("could not publish counter snapshots; retrying")
                self._projection.changed.set()
            await asyncio.sleep(max(self._min_interval_s, 2 * (time.monotonic() - started)))
