"""The programme figures metrics computes and the snapshot it publishes on `pulse.counters`."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict

from shared.contracts.payloads import Payload

COUNTER_NAMES = (
    "trainees_trained",
    "students_reached",
    "events_delivered",
    "attendances",
    "leaders",
    "leader_organisations",
)


class Share(BaseModel):
    """One category of a demographic share; both are None when the cell is suppressed."""

    model_config = ConfigDict(frozen=True)

    count: int | None
    percent: float | None
    suppressed: bool = False


class TargetProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    target: int
    actual: int
    percent: float


class ProgrammeFigures(BaseModel):
    """Counters as top-level integers, with shares, breakdowns and targets nested (docs/architecture.md, Counting rules)."""

    model_config = ConfigDict(frozen=True)

    programme_id: str
    trainees_trained: int
    students_reached: int
    events_delivered: int
    attendances: int
    leaders: int
    leader_organisations: int
    # population -> dimension (gender, ethnicity, ethnic_minority) -> category -> share
    shares: dict[str, dict[str, dict[str, Share]]]
    # by (partner, nation, kind, month) -> key -> counter name -> value (None when suppressed)
    breakdowns: dict[str, dict[str, dict[str, int | None]]]
    targets: dict[str, TargetProgress]
    disclosure_controlled: bool
    updated_at: AwareDatetime | None


class CountersSnapshot(Payload):
    """Published (coalesced) after changes; keyed by programme id on the compacted counters topic."""

    programme_id: str
    seq: int
    exact: ProgrammeFigures
    public: ProgrammeFigures
