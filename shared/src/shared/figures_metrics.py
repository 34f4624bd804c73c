"""The programme's headline counters as Prometheus gauges, for dashboards and alerts beside the service metrics."""

from __future__ import annotations

from prometheus_client import Gauge

from shared.contracts.counters import COUNTER_NAMES, CountersSnapshot

PROGRAMME_COUNTER = Gauge(
    "pulse_programme_counter",
    "The programme's public (disclosure-controlled) headline counters from the latest snapshot",
    ["programme", "counter"],
)


def export_counters(snapshot: CountersSnapshot) -> None:
    """Set the gauges from a snapshot: public figures only, the same any dashboard viewer sees."""
    for name in COUNTER_NAMES:
        PROGRAMME_COUNTER.labels(snapshot.programme_id, name).set(getattr(snapshot.public, name))
