"""Every event fact, read in full by every metrics instance from `pulse.events` (events are few).

Attendance in any partition may name any event, so each held partition keeps a copy of every event
(metrics.domain.partition_facts); the feed keeps the latest of each, to give a partition taken up later.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from metrics.domain.event_sets import EventRank
from metrics.domain.facts import EventFact, event_fact, newer
from shared.contracts.payloads import EventChanged
from shared.kafka import consumer


class EventsFeed:
    def __init__(self) -> None:
        self.events: dict[str, EventFact] = {}
        self.offsets: dict[int, int] = {}  # next offset read of each partition of pulse.events
        # Each event id's rank among the distinct keys of its partition, in the order they first appear:
        # the same on every instance (partials carry events as bitmaps of ranks, metrics.domain.event_sets).
        self.ranks: dict[str, EventRank] = {}
        self._distinct: dict[int, int] = {}
        # Set once everything on the topic when this instance started has been read: until then figures
        # would miss events, so no partial is published.
        self.caught_up = asyncio.Event()

    def read(self, batch: Sequence[consumer.Fact[EventChanged]]) -> list[EventFact]:
        """Take a batch of events in: the event facts that changed."""
        changed: dict[str, EventFact] = {}
        for consumed in batch:
            received = consumed.received
            self.offsets[received.partition] = max(
                self.offsets.get(received.partition, 0), received.offset + 1
            )
            if received.key is not None and received.key not in self.ranks:
                rank = self._distinct.get(received.partition, 0)
                self.ranks[sys.intern(received.key)] = (received.partition, rank)
                self._distinct[received.partition] = rank + 1
            fact = event_fact(consumed.payload)
            held = self.events.get(fact.event_id)
            if held is None or newer(fact, held):
                self.events[fact.event_id] = changed[fact.event_id] = fact
        return list(changed.values())

    def moved_to(self, offsets: dict[int, int]) -> None:
        """Note positions reached past records that are not events at all (or past gaps)."""
        for partition, offset in offsets.items():
            self.offsets[partition] = max(self.offsets.get(partition, 0), offset)
