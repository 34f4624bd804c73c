"""Programme figures computed directly from the merged facts: a pure function, so always exact.

Attendance counts once both its participant and its event are known. Attendance at a cancelled event
is excluded: the event did not happen as scheduled, and because cancellation is a versioned state of the
event, an event re-scheduled by a later version counts again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from metrics.domain.facts import EventFact, FactSet, ParticipantFact
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share, TargetProgress

NOT_DISCLOSED = "not_disclosed"
POPULATIONS = ("trainees_trained", "students_reached", "leaders")
BREAKDOWNS = ("partner", "nation", "kind", "month")
CATEGORIES: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male", "non_binary", "self_described", NOT_DISCLOSED),
    "ethnicity": ("asian", "black", "mixed", "white", "other", NOT_DISCLOSED),
    "ethnic_minority": ("yes", "no", NOT_DISCLOSED),
}
_MINORITY_GROUPS = {"asian", "black", "mixed", "other"}


def categories_of(participant: ParticipantFact) -> dict[str, str]:
    """The share category of a participant in each dimension; refusal and absence are not disclosed."""
    gender = participant.gender if participant.gender in CATEGORIES["gender"] else NOT_DISCLOSED
    ethnicity = participant.ethnicity if participant.ethnicity in CATEGORIES["ethnicity"] else NOT_DISCLOSED
    if ethnicity == NOT_DISCLOSED:
        minority = NOT_DISCLOSED
    else:
        minority = "yes" if ethnicity in _MINORITY_GROUPS else "no"
    return {"gender": gender, "ethnicity": ethnicity, "ethnic_minority": minority}


@dataclass
class Tally:
    """The distinct members behind each counter, within the whole programme or one breakdown slice."""

    trainees: set[str] = field(default_factory=set)
    students: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    leaders: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    attendances: int = 0

    def add(self, event: EventFact, participant: ParticipantFact) -> None:
        self.attendances += 1
        self.events.add(event.event_id)
        if participant.role == "student":
            self.students.add(participant.participant_id)
        elif participant.role == "trainee" and event.kind == "training":
            self.trainees.add(participant.participant_id)
        elif participant.role == "leader" and event.kind == "accelerator":
            self.leaders.add(participant.participant_id)
            if participant.organisation_id:
                self.organisations.add(participant.organisation_id)

    def counters(self) -> dict[str, int]:
        return {
            "trainees_trained": len(self.trainees),
            "students_reached": len(self.students),
            "events_delivered": len(self.events),
            "attendances": self.attendances,
            "leaders": len(self.leaders),
            "leader_organisations": len(self.organisations),
        }


@dataclass
class ProgrammeTally:
    total: Tally = field(default_factory=Tally)
    slices: dict[str, dict[str, Tally]] = field(default_factory=lambda: {by: {} for by in BREAKDOWNS})


def tally_programmes(facts: FactSet) -> dict[str, ProgrammeTally]:
    """One pass over the attendance, counting only attendance whose both sides are known."""
    tallies: dict[str, ProgrammeTally] = {}
    for attendance in facts.attendance.values():
        event = facts.events.get(attendance.event_id)
        participant = facts.participants.get(attendance.participant_id)
        if event is None or participant is None or event.cancelled:
            continue
        programme = tallies.get(attendance.programme_id)
        if programme is None:
            programme = tallies[attendance.programme_id] = ProgrammeTally()
        programme.total.add(event, participant)
        keys = (event.partner_id, event.nation, event.kind, attendance.month)
        for by, key in zip(BREAKDOWNS, keys, strict=True):
            by_key = programme.slices[by]
            tally = by_key.get(key)
            if tally is None:
                tally = by_key[key] = Tally()
            tally.add(event, participant)
    return tallies


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def shares_of(members: set[str], participants: Mapping[str, ParticipantFact]) -> dict[str, dict[str, Share]]:
    counts = {dimension: dict.fromkeys(names, 0) for dimension, names in CATEGORIES.items()}
    for member in members:
        for dimension, category in categories_of(participants[member]).items():
            counts[dimension][category] += 1
    return {
        dimension: {name: Share(count=n, percent=_percent(n, len(members))) for name, n in by_name.items()}
        for dimension, by_name in counts.items()
    }


def progress(actuals: Mapping[str, int], targets: Mapping[str, int]) -> dict[str, TargetProgress]:
    return {
        name: TargetProgress(
            target=target, actual=actuals[name], percent=round(100 * actuals[name] / target, 1)
        )
        for name, target in targets.items()
        if name in COUNTER_NAMES and target > 0
    }


def compute_figures(
    facts: FactSet,
    programme_ids: Iterable[str],
    targets: Mapping[str, Mapping[str, int]],
    now: datetime,
) -> dict[str, ProgrammeFigures]:
    """Exact figures of the given programmes and of every programme with counted attendance."""
    tallies = tally_programmes(facts)
    figures: dict[str, ProgrammeFigures] = {}
    for programme_id in sorted({*programme_ids, *tallies}):
        tally = tallies.get(programme_id) or ProgrammeTally()
        counters = tally.total.counters()
        populations = {
            "trainees_trained": tally.total.trainees,
            "students_reached": tally.total.students,
            "leaders": tally.total.leaders,
        }
        figures[programme_id] = ProgrammeFigures(
            programme_id=programme_id,
            **counters,
            shares={name: shares_of(members, facts.participants) for name, members in populations.items()},
            breakdowns={
                by: {key: slice_.counters() for key, slice_ in sorted(by_key.items())}
                for by, by_key in tally.slices.items()
            },
            targets=progress(counters, targets.get(programme_id, {})),
            disclosure_controlled=False,
            updated_at=now,
        )
    return figures
