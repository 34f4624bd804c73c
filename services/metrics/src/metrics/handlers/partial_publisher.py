"""Each owned partition's partial figures on `pulse.partials`, published when its figures or coverage move."""

from __future__ import annotations

from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.partitions import OwnedPartitions
from metrics.messages import partial_message
from shared.kafka.producer import EventProducer


class PartialPublisher:
    def __init__(self, owned: OwnedPartitions, feed: EventsFeed, producer: EventProducer, topic: str) -> None:
        self._owned = owned
        self._feed = feed
        self._producer = producer
        self._topic = topic

    async def publish_due(self, only: set[int] | None = None) -> int:
        """Publish every live partition whose partial moved (of `only`, if given); returns how many."""
        if not self._feed.caught_up.is_set():
            return 0  # its figures would miss events that exist
        due = [
            (state, state.revision)
            for state in self._owned.held.values()
            if state.live and state.revision != state.published and (only is None or state.number in only)
        ]
        if due:
            await self._producer.send([partial_message(self._topic, self._owned.partial(s)) for s, _ in due])
            for state, revision in due:
                state.published = revision
        return len(due)
