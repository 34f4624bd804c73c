"""The partial figures of one fact partition, published on the compacted `pulse.partials` topic.

A participant and all their attendance share one partition (both topics are keyed by participant id), so
counts of distinct participants and of attendance add up across partitions; the events and leader
organisations behind a count do not (one event has attendance in many partitions), so they travel as sets
and are merged as unions (docs/architecture.md, Metrics partitions and merge).

Events travel as bitmaps: every metrics instance reads all of `pulse.events` from its beginning, so each
event has the same number everywhere, its rank among the distinct keys (event ids) of its partition of
`pulse.events` in the order they first appear. A cell's events are, for each partition of `pulse.events`,
the base64 of a little-endian bitmap whose bit n is the event ranked n: about one byte per event per cell,
where its id took forty (a partial of 1,000 events and their cells was ~0.5 MB of ids).
"""

from __future__ import annotations

import sys

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from shared.contracts.payloads import Payload


class CellPartial(BaseModel):
    """One partition's share of a programme total or of one breakdown cell."""

    model_config = ConfigDict(frozen=True)

    attendances: int = Field(default=0, ge=0)
    trainees_trained: int = Field(default=0, ge=0)
    students_reached: int = Field(default=0, ge=0)
    leaders: int = Field(default=0, ge=0)
    events: dict[int, str] = Field(
        default_factory=dict,
        description="events with counted attendance here: partition of pulse.events -> base64 bitmap of ranks",
    )
    leader_organisation_ids: list[str] = Field(default_factory=list)

    @field_validator("leader_organisation_ids")
    @classmethod
    def _one_string_per_organisation(cls, ids: list[str]) -> list[str]:
        # The merger holds a partial of every partition, and an organisation recurs in many cells of each:
        # one shared string per organisation instead of a copy per cell.
        return [sys.intern(organisation_id) for organisation_id in ids]


class ProgrammePartial(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: CellPartial
    # population -> dimension -> category -> distinct participants
    shares: dict[str, dict[str, dict[str, int]]]
    # by (partner, nation, kind, month) -> key -> cell
    breakdowns: dict[str, dict[str, CellPartial]]
    # population -> month -> participants whose first counted attendance (by event date) is in that month;
    # they add up across partitions, as a participant lives in one
    first_months: dict[str, dict[str, int]] = Field(default_factory=dict)


class PartialCoverage(BaseModel):
    """Next offsets the partial's figures include everything before (they may include more)."""

    model_config = ConfigDict(frozen=True)

    participants: int = Field(ge=0, description="next offset of this partition of pulse.participants")
    attendance: int = Field(ge=0, description="next offset of this partition of pulse.attendance")
    keys: int = Field(default=0, ge=0, description="next offset of this partition of pulse.participant-keys")
    events: dict[int, int] = Field(description="next offset of each partition of pulse.events read")

    def covers(self, other: PartialCoverage) -> bool:
        """True when this coverage includes all of `other`'s."""
        return (
            self.participants >= other.participants
            and self.attendance >= other.attendance
            and self.keys >= other.keys
            and all(self.events.get(p, 0) >= offset for p, offset in other.events.items())
        )


class PartitionPartial(Payload):
    """Keyed by the partition number on `pulse.partials`; the freshest per partition is merged."""

    partition: int = Field(ge=0)
    covers: PartialCoverage
    owner: str = Field(description="the metrics instance that published it")
    generation: int = Field(description="its consumer group generation then")
    published_at: AwareDatetime
    programmes: dict[str, ProgrammePartial]
