"""The only place metrics builds the events it publishes: partial figures and counters snapshots."""

from __future__ import annotations

from shared.contracts.counters import CountersSnapshot
from shared.contracts.envelope import new_event
from shared.contracts.partials import PartitionPartial
from shared.contracts.payloads import COUNTERS_SNAPSHOT, PARTITION_PARTIAL
from shared.kafka.producer import Outgoing

SOURCE = "/metrics"


def snapshot_message(topic: str, snapshot: CountersSnapshot) -> Outgoing:
    """A programme's counters snapshot, keyed by programme on the compacted counters topic."""
    event = new_event(source=SOURCE, type=COUNTERS_SNAPSHOT, subject=snapshot.programme_id, data=snapshot)
    return Outgoing(topic, snapshot.programme_id, event)


def partial_message(topic: str, partial: PartitionPartial) -> Outgoing:
    """A partition's partial figures, keyed by partition number on the compacted partials topic."""
    key = str(partial.partition)
    return Outgoing(topic, key, new_event(source=SOURCE, type=PARTITION_PARTIAL, subject=key, data=partial))
