"""The programme figures metrics computes and the snapshot it publishes on `pulse.counters`."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.payloads import Payload

COUNTER_NAMES = (
    "trainees_trained",
    "students_reached",
    "events_delivered",
    "attendances",
    "leaders",
    "leader_organisations",
)


class BreakdownBy(StrEnum):
    """The dimensions figures are broken down by (docs/architecture.md, Counting rules)."""

    PARTNER = "partner"
    NATION = "nation"
    KIND = "kind"
    MONTH = "month"


BREAKDOWNS = tuple(BreakdownBy)


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
    # by (BreakdownBy) -> key -> counter name -> value (None when suppressed)
    breakdowns: dict[str, dict[str, dict[str, int | None]]]
    targets: dict[str, TargetProgress]
    disclosure_controlled: bool
    # Public figures: the updated_at is when they were released; every count is a multiple of rounding_base
    # and cells below smallest_shown are withheld (docs/privacy.md, Disclosure control).
    updated_at: AwareDatetime | None
    rounding_base: int | None = None
    smallest_shown: int | None = None
    reach_by_month: dict[str, dict[str, int | None]] = Field(
        default_factory=dict,
        description="month (of the events' dates) -> each counter as reached by the end of that month "
        "(cumulative; the last month's equal the headline figures); public: rounded like any cell",
    )
    partner_names: dict[str, str] = Field(
        default_factory=dict,
        description="the name of each partner of the programme and of each partner in the breakdown, by id",
    )


class CountersSnapshot(Payload):
    """Published (coalesced) after changes; keyed by programme id on the compacted counters topic."""

    programme_id: str
    seq: int
    exact: ProgrammeFigures
    public: ProgrammeFigures
    # The seq of the first snapshot that carried these public figures: public readers see a new event only
    # when it changes, so exact changes between two public releases stay invisible to them.
    public_seq: int | None = None
