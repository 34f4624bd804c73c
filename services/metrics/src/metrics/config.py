"""Settings of the metrics service."""

from __future__ import annotations

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
    # Each batch costs a stored segment and an offset commit; at door rates a batch per check-in was most of
    # metrics' CPU. Batches gathered over 50 ms and a snapshot after each halve it (docs/performance.md).
    batch_gather_ms: int = Field(
        default=50, ge=0, le=500, description="how long a fetch may wait for more messages (0: none)"
    )
    snapshot_min_interval_s: float = Field(
        default=0.05, gt=0, description="at most one counters snapshot per programme per interval"
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
        # The topic prefix isolates test runs, so it isolates their consumer groups too.
        return f"{self.topic_prefix}metrics"
