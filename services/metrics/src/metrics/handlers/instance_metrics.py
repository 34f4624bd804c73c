"""What this metrics instance holds, on /metrics: partitions owned and taken up, and whether it merges."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

OWNED = Gauge("pulse_metrics_partitions_owned", "Fact partitions this instance owns and publishes")
TAKEN_UP = Counter(
    "pulse_metrics_partitions_restored_total", "Fact partitions restored from storage on being taken up"
)
MERGING = Gauge("pulse_metrics_merging", "1 while this instance is the merger of every partition's partials")
