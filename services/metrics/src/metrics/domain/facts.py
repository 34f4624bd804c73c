"""The facts metrics counts from, and how facts of the same entity merge.

Merging is idempotent, commutative and associative, so any order, any redelivery and any overlap of stored
segments yields the same fact set: a participant or event keeps its highest version; an attendance is one
per (event_id, participant_id) and keeps its earliest check-in time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.contracts.payloads import AttendanceRecorded, EventChanged, ParticipantChanged
from shared.contracts.vocabulary import EventStatus


@dataclass(frozen=True, slots=True)
class ParticipantFact:
    """The categories of a participant that metrics needs; demographics are None without consent."""

    participant_id: str
    programme_id: str
    version: int
    role: str
    organisation_id: str | None
    gender: str | None
    ethnicity: str | None


@dataclass(frozen=True, slots=True)
class EventFact:
    event_id: str
    programme_id: str
    version: int
    partner_id: str
    kind: str
    nation: str
    cancelled: bool


@dataclass(frozen=True, slots=True)
class AttendanceFact:
    """One attendance; `checked_in_at` is a fixed-width UTC string, so it orders as text."""

    programme_id: str
    event_id: str
    participant_id: str
    checked_in_at: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.event_id, self.participant_id)

    @property
    def month(self) -> str:
        return self.checked_in_at[:7]


Fact = ParticipantFact | EventFact | AttendanceFact


def utc_text(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.ffffffZ`; isoformat is a third cheaper than strftime and pads the year."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


def participant_fact(payload: ParticipantChanged) -> ParticipantFact:
    consented = payload.consent_demographics
    return ParticipantFact(
        participant_id=payload.participant_id,
        programme_id=payload.programme_id,
        version=payload.version,
        role=payload.role.value,
        organisation_id=payload.organisation_id,
        gender=payload.gender.value if consented and payload.gender else None,
        ethnicity=payload.ethnicity.value if consented and payload.ethnicity else None,
    )


def event_fact(payload: EventChanged) -> EventFact:
    return EventFact(
        event_id=payload.event_id,
        programme_id=payload.programme_id,
        version=payload.version,
        partner_id=payload.partner_id,
        kind=payload.kind.value,
        nation=payload.nation.value,
        cancelled=payload.status is EventStatus.CANCELLED,
    )


def attendance_fact(payload: AttendanceRecorded) -> AttendanceFact:
    return AttendanceFact(
        programme_id=payload.programme_id,
        event_id=payload.event_id,
        participant_id=payload.participant_id,
        checked_in_at=utc_text(payload.checked_in_at),
    )


def _newer(a: ParticipantFact | EventFact, b: ParticipantFact | EventFact) -> bool:
    """True when `a` should replace `b`; equal versions tie-break on content so merging commutes."""
    return (a.version, repr(a)) > (b.version, repr(b))


@dataclass
class FactSet:
    """The merged state of every fact seen; the single input of the figures."""

    participants: dict[str, ParticipantFact] = field(default_factory=dict)
    events: dict[str, EventFact] = field(default_factory=dict)
    attendance: dict[tuple[str, str], AttendanceFact] = field(default_factory=dict)

    def merge(self, facts: Iterable[Fact]) -> bool:
        """Merge facts in; True when anything changed."""
        changed = False
        for fact in facts:
            if self._supersedes(fact):
                self._take(fact)
                changed = True
        return changed

    def _supersedes(self, fact: Fact) -> bool:
        """True when `fact` is new or replaces the one held for its entity."""
        if isinstance(fact, AttendanceFact):
            held_a = self.attendance.get(fact.key)
            return held_a is None or fact.checked_in_at < held_a.checked_in_at
        if isinstance(fact, ParticipantFact):
            held_p = self.participants.get(fact.participant_id)
            return held_p is None or _newer(fact, held_p)
        held_e = self.events.get(fact.event_id)
        return held_e is None or _newer(fact, held_e)

    def _take(self, fact: Fact) -> None:
        """Hold `fact` in place of its entity's previous one (subclasses watch the change here)."""
        if isinstance(fact, AttendanceFact):
            self.attendance[fact.key] = fact
        elif isinstance(fact, ParticipantFact):
            self.participants[fact.participant_id] = fact
        else:
            self.events[fact.event_id] = fact

    def __len__(self) -> int:
        return len(self.participants) + len(self.events) + len(self.attendance)

    def all_facts(self) -> list[Fact]:
        return [*self.participants.values(), *self.events.values(), *self.attendance.values()]


def reduce_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The facts of one batch with duplicates and superseded versions dropped."""
    merged = FactSet()
    merged.merge(facts)
    return merged.all_facts()
