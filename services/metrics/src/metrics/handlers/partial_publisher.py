"""Each owned partition's partial figures on `pulse.partials`, published when its figures or coverage move.

A partial lists the leader organisations of each cell by id (events travel as bitmaps), so it grows with
them: ~0.4 MB for a partition of the benchmark's million attendances, whose 33,000 leaders come from 12,500
organisations. Publishing every owned partition twenty times a second while a backlog is folded would send
tens of MB/s for the merger to read, so publication rests long enough to stay within `BYTES_PER_S`; at the
demo's size a partial is a few KB and the limit never bites.
"""

from __future__ import annotations

import asyncio

from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.partitions import OwnedPartitions
from metrics.messages import partial_message
from shared.kafka.producer import EventProducer, encoded

BYTES_PER_S = 4 * 1024 * 1024
# Compaction keeps the last partial of each partition, which may be a stale one a zombie owner sent after
# the owner's fresher one; a merger taking over would hold it until the owner published again.
REFRESH_S = 60.0


class PartialPublisher:
    def __init__(self, owned: OwnedPartitions, feed: EventsFeed, producer: EventProducer, topic: str) -> None:
        self._owned = owned
        self._feed = feed
        self._producer = producer
        self._topic = topic

    async def publish_due(self, only: set[int] | None = None) -> float:
        """Publish every live partition whose partial moved (of `only`, if given); returns the seconds to
        rest before the next publication."""
        if not self._feed.caught_up.is_set():
            return 0.0  # its figures would miss events that exist
        due = [
            (state, state.revision)
            for state in self._owned.held.values()
            if state.live and state.revision != state.published and (only is None or state.number in only)
        ]
        messages = [encoded(partial_message(self._topic, self._owned.partial(s))) for s, _ in due]
        if messages:
            await self._producer.send_encoded(messages)
            for state, revision in due:
                state.published = revision
        return sum(len(m.value or b"") for m in messages) / BYTES_PER_S


async def refresh_periodically(owned: OwnedPartitions, every_s: float = REFRESH_S) -> None:
    """Publish every owned partition's partial again now and then, even if nothing moved."""
    while True:
        await asyncio.sleep(every_s)
        for state in owned.held.values():
            state.touch()
        owned.changed.set()
