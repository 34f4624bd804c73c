"""The only place metrics builds the events it publishes: counters snapshots."""

from __future__ import annotations

from shared.contracts.counters import CountersSnapshot
from shared.contracts.envelope import new_event
from shared.contracts.payloads import COUNTERS_SNAPSHOT
from shared.kafka.producer import Outgoing

SOURCE = "/metrics"


def snapshot_message(topic: str, snapshot: CountersSnapshot) -> Outgoing:
    """A programme's counters snapshot, keyed by programme on the compacted counters topic."""
    event = new_event(source=SOURCE, type=COUNTERS_SNAPSHOT, subject=snapshot.programme_id, data=snapshot)
    return Outgoing(topic, snapshot.programme_id, event)
