"""The merger: while this instance holds `pulse.partials`, it merges one partial per partition into counters.

One instance merges (the one its group assigns the single partition of `pulse.partials`), so every gateway
and metrics replica follows one release stream on `pulse.counters`, and public releases have one history
(docs/architecture.md, Metrics partitions and merge). It publishes only once it has read the partials topic
to its end and holds a partial of every partition, so no figure misses a partition or counts one twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from metrics.config import MetricsSettings
from metrics.domain.disclosure import PublicReleases
from metrics.domain.held_partials import HeldPartials
from metrics.domain.partials import merged_figures
from metrics.handlers.counters_view import CountersView
from metrics.handlers.instance_metrics import MERGING
from metrics.handlers.partners_feed import PartnersFeed
from metrics.messages import snapshot_message
from shared.contracts.counters import CountersSnapshot, ProgrammeFigures
from shared.contracts.partials import PartitionPartial
from shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)


def _timeless(figures: ProgrammeFigures) -> ProgrammeFigures:
    return figures.model_copy(update={"updated_at": None})


@dataclass(frozen=True)
class _Published:
    exact: ProgrammeFigures  # without its time
    public: ProgrammeFigures
    public_seq: int


class Merger:
    def __init__(
        self,
        settings: MetricsSettings,
        producer: EventProducer,
        view: CountersView,
        releases: PublicReleases,
        partition_count: int,
        partners: PartnersFeed,
    ) -> None:
        self._settings = settings
        self._partners = partners
        self._producer = producer
        self._view = view
        self._releases = releases
        self._partition_count = partition_count
        self.held = HeldPartials()
        self.active = False
        self.caught_up = asyncio.Event()
        self.changed = asyncio.Event()
        self._published: dict[str, _Published] = {}
        self._seq = 0

    def take_over(self) -> None:
        """This instance became the merger: it starts from an empty hold, reading the topic from its start."""
        self.held = HeldPartials()
        self.caught_up.clear()
        self.active = True
        # The public release schedule goes on from what the last merger published (docs/privacy.md).
        self._published = {}
        for programme_id, snapshot in self._view.latest.items():
            self._releases.resume(programme_id, snapshot.exact, snapshot.public)
            public_seq = snapshot.public_seq if snapshot.public_seq is not None else snapshot.seq
            self._published[programme_id] = _Published(_timeless(snapshot.exact), snapshot.public, public_seq)
        MERGING.set(1)

    def step_down(self) -> None:
        self.active = False
        self.held = HeldPartials()
        MERGING.set(0)

    def read_to_end(self) -> None:
        self.caught_up.set()
        self.changed.set()

    def read(self, partials: Iterable[PartitionPartial]) -> None:
        """Hold each partial read that is its partition's freshest."""
        if not self.active:
            return
        replaced = False
        for partial in partials:
            replaced |= self.held.offer(partial)
        if replaced:
            self.changed.set()

    def _next_seq(self, programme_id: str) -> int:
        # Milliseconds since the epoch, and past what any merger published, keep seq growing across mergers.
        known = self._view.latest.get(programme_id)
        self._seq = max(self._seq + 1, time.time_ns() // 1_000_000, known.seq + 1 if known else 0)
        return self._seq

    def seconds_to_next_release(self) -> float | None:
        """How long until a held public release falls due with no further change; None when none is held."""
        due = self._releases.next_due()
        return None if due is None else max(0.0, (due - datetime.now(UTC)).total_seconds())

    async def publish_changes(self) -> float:
        """Publish every programme whose merged exact figures or public release moved."""
        count = self._partition_count
        ready = self.caught_up.is_set() and self._partners.caught_up.is_set() and self.held.complete(count)
        if not (self.active and ready):
            return 0.0
        now = datetime.now(UTC)
        programmes = {self._settings.programme_id, *self._settings.targets}
        held = self.held.covering(count)
        merged = merged_figures(held, programmes, self._settings.targets, now, self._partners.names)
        outgoing, current = [], {}
        for programme_id, exact in merged.items():
            public = self._releases.release(programme_id, exact, now)
            last = self._published.get(programme_id)
            if last is not None and last.exact == _timeless(exact) and last.public is public:
                continue
            seq = self._next_seq(programme_id)
            public_seq = last.public_seq if last is not None and last.public is public else seq
            current[programme_id] = _Published(_timeless(exact), public, public_seq)
            snapshot = CountersSnapshot(
                programme_id=programme_id, seq=seq, exact=exact, public=public, public_seq=public_seq
            )
            outgoing.append(snapshot_message(self._settings.topics.counters, snapshot))
        if outgoing and self.active:
            await self._producer.send(outgoing)
            self._published.update(current)
        return 0.0
