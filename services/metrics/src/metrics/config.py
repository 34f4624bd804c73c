"""Settings of the metrics service."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Literal

from pydantic import Field, PositiveInt

from metrics.domain.disclosure import ReleaseSchedule
from shared.settings import GatewayTrustingSettings

RESILIENCE_TARGETS = {
    "trainees_trained": 1500,
    "students_reached": 15000,
    "events_delivered": 170,
    "leaders": 75,
    "leader_organisations": 23,
}


class MetricsSettings(GatewayTrustingSettings):
    service_name: str = "metrics"
    programme_id: str = Field(default="resilience", min_length=1, description="programme served by default")
    targets: dict[str, dict[str, PositiveInt]] = Field(
        default_factory=lambda: {"resilience": dict(RESILIENCE_TARGETS)},
        description="programme id -> counter -> target (env PULSE_TARGETS as JSON)",
    )
    batch_max_records: int = Field(default=20000, ge=1, description="records folded per consumer batch")
    # Each batch costs stored segments, an offset commit, partials and a merged snapshot (~4 ms in all); at
    # door rates a batch per check-in was most of metrics' CPU (docs/performance.md).
    batch_gather_ms: int = Field(
        default=100,
        ge=0,
        le=500,
        description="while messages flow, how long a fetch may wait for more (0: none)",
    )
    snapshot_min_interval_s: float = Field(
        default=0.05,
        gt=0,
        description="at most one publication of partial figures, and of merged counters, per interval",
    )

    # A restart restores a partition's snapshot at C speed but merges the facts stored after it one by one
    # (~20 us each): a snapshot is written once the tail holds as many facts as the snapshot (and at least
    # this many), once it holds this many segments, and once the partition has been quiet this long.
    compaction_min_tail: int = Field(
        default=50_000, ge=1, description="facts after a snapshot before a new one"
    )
    compaction_max_segments: int = Field(
        default=1_000, ge=1, description="segments after a snapshot before a new one"
    )
    compaction_quiet_s: float = Field(
        default=5.0, gt=0, description="quiet time before any tail is compacted"
    )
    # Instances started together join the group over a second or so. The first gets every partition; had it
    # restored them all before the others joined, it would keep the memory of those it then handed over
    # (freed, but in arenas it cannot give back: docs/scaling.md).
    join_settle_s: float = Field(
        default=1.0, ge=0, le=30, description="wait before restoring a newly started instance's partitions"
    )
    instance_id: str = Field(
        default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
        min_length=1,
        description="names this instance in the partials it publishes",
    )

    # Public figures (docs/privacy.md): every count rounded to 5 ("round-5"), or nothing below 10 shown and
    # the rest rounded to 5 ("ons-10-5"). A new public release at most once a minute and only after 5
    # attendances (one rounding step) came or went, or after an hour's hold: a door scan is never shown
    # on its own, and on a busy day the public dashboard is at most a minute behind.
    disclosure_rule: Literal["round-5", "ons-10-5"] = Field(
        default="round-5", description="how public figures are rounded and withheld"
    )
    public_release_interval_s: float = Field(
        default=60, ge=0, description="at least this long between two public releases"
    )
    public_release_min_attendances: int = Field(
        default=5, ge=1, description="attendances added or taken away before the next public release"
    )
    public_release_max_hold_s: float = Field(
        default=3600, ge=0, description="a change with fewer attendances is released after this long"
    )

    @property
    def release_schedule(self) -> ReleaseSchedule:
        return ReleaseSchedule(
            min_interval=timedelta(seconds=self.public_release_interval_s),
            min_attendances=self.public_release_min_attendances,
            max_hold=timedelta(seconds=self.public_release_max_hold_s),
        )

    @property
    def consumer_group(self) -> str:
        """Owns the fact partitions (participants and attendance, the same numbers of both)."""
        # The topic prefix isolates test runs, so it isolates their consumer groups too.
        return f"{self.topic_prefix}metrics"

    @property
    def merge_group(self) -> str:
        """Elects the merger: the one member given the single partition of the partials topic."""
        return f"{self.topic_prefix}metrics-merge"
