"""Programme figures from the merged facts, whose tallies are kept current as facts merge in.

Attendance counts once both its participant and its event are known. Attendance at a cancelled event
is excluded: the event did not happen as scheduled, and because cancellation is a versioned state of the
event, an event re-scheduled by a later version counts again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from metrics.domain.facts import AttendanceFact, EventFact, Fact, FactSet, ParticipantFact
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


def population_of(event: EventFact, participant: ParticipantFact) -> str | None:
    """The population an attendance brings its participant into, if any."""
    if participant.role == "student":
        return "students_reached"
    if participant.role == "trainee" and event.kind == "training":
        return "trainees_trained"
    if participant.role == "leader" and event.kind == "accelerator":
        return "leaders"
    return None


_MEMBER_COUNTERS = (
    "trainees_trained",
    "students_reached",
    "events_delivered",
    "leaders",
    "leader_organisations",
)


class Tally:
    """The distinct members behind each counter, within the whole programme or one breakdown slice.

    Each member is held with the number of counted attendances that bring it in, so that an attendance
    can be counted out again when its event or participant changes. With `shares`, the tally also keeps
    each population's members counted by category (as the participant stood when it joined).
    """

    def __init__(self, *, shares: bool = False) -> None:
        self.attendances = 0
        self.members: dict[str, dict[str, int]] = {name: {} for name in _MEMBER_COUNTERS}
        self.shares: dict[str, dict[str, dict[str, int]]] | None = (
            {
                population: {dimension: dict.fromkeys(names, 0) for dimension, names in CATEGORIES.items()}
                for population in POPULATIONS
            }
            if shares
            else None
        )

    def add(self, event: EventFact, participant: ParticipantFact, sign: int) -> None:
        """Count one attendance in (sign 1) or out (sign -1)."""
        self.attendances += sign
        self._bump("events_delivered", event.event_id, sign)
        population = population_of(event, participant)
        if population is None:
            return
        if self._bump(population, participant.participant_id, sign) and self.shares is not None:
            for dimension, category in categories_of(participant).items():
                self.shares[population][dimension][category] += sign
        if population == "leaders" and participant.organisation_id:
            self._bump("leader_organisations", participant.organisation_id, sign)

    def _bump(self, counter: str, member: str, sign: int) -> bool:
        """Count `member` in or out of one counter; True when it joined or left."""
        members = self.members[counter]
        held = members.get(member, 0) + sign
        if held:
            members[member] = held
        else:
            del members[member]
        return held == (1 if sign > 0 else 0)

    def counters(self) -> dict[str, int]:
        return {"attendances": self.attendances, **{name: len(held) for name, held in self.members.items()}}


@dataclass
class ProgrammeTally:
    total: Tally = field(default_factory=lambda: Tally(shares=True))
    slices: dict[str, dict[str, Tally]] = field(default_factory=lambda: {by: {} for by in BREAKDOWNS})


class CountedFacts(FactSet):
    """The fact set with every programme's tallies kept current as facts merge in.

    An attendance counts once both its participant and its event are known and the event is not
    cancelled. A merged fact counts out the attendance it touches as it stood, then counts it in again as
    it now stands, so a merge costs what it touches, not a pass over all attendance (which took ~5 us per
    attendance, several times a second, while anything changed).
    """

    def __init__(self) -> None:
        super().__init__()
        self.tallies: dict[str, ProgrammeTally] = {}
        self._by_participant: dict[str, list[tuple[str, str]]] = {}
        self._by_event: dict[str, list[tuple[str, str]]] = {}

    def _take(self, fact: Fact) -> None:
        if isinstance(fact, AttendanceFact):
            touched = [fact.key] if fact.key in self.attendance else []
        elif isinstance(fact, ParticipantFact):
            touched = self._by_participant.get(fact.participant_id, [])
        else:
            touched = self._by_event.get(fact.event_id, [])
        self._count(touched, -1)
        super()._take(fact)
        if isinstance(fact, AttendanceFact) and not touched:  # first seen: index it
            key = fact.key
            touched = [key]
            self._by_participant.setdefault(fact.participant_id, []).append(key)
            self._by_event.setdefault(fact.event_id, []).append(key)
        self._count(touched, 1)

    def _count(self, keys: Iterable[tuple[str, str]], sign: int) -> None:
        for key in keys:
            attendance = self.attendance[key]
            event = self.events.get(attendance.event_id)
            participant = self.participants.get(attendance.participant_id)
            if event is None or participant is None or event.cancelled:
                continue
            programme = self.tallies.get(attendance.programme_id)
            if programme is None:
                programme = self.tallies[attendance.programme_id] = ProgrammeTally()
            programme.total.add(event, participant, sign)
            slice_keys = (event.partner_id, event.nation, event.kind, attendance.month)
            for by, slice_key in zip(BREAKDOWNS, slice_keys, strict=True):
                by_key = programme.slices[by]
                tally = by_key.get(slice_key)
                if tally is None:
                    tally = by_key[slice_key] = Tally()
                tally.add(event, participant, sign)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def shares_of(tally: Tally) -> dict[str, dict[str, dict[str, Share]]]:
    """Each population's members by category, as counts and percentages of the population."""
    assert tally.shares is not None
    return {
        population: {
            dimension: {
                name: Share(count=n, percent=_percent(n, len(tally.members[population])))
                for name, n in by_name.items()
            }
            for dimension, by_name in by_dimension.items()
        }
        for population, by_dimension in tally.shares.items()
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
    facts: CountedFacts,
    programme_ids: Iterable[str],
    targets: Mapping[str, Mapping[str, int]],
    now: datetime,
) -> dict[str, ProgrammeFigures]:
    """Exact figures of the given programmes and of every programme with counted attendance."""
    counted = {programme_id for programme_id, tally in facts.tallies.items() if tally.total.attendances}
    figures: dict[str, ProgrammeFigures] = {}
    for programme_id in sorted({*programme_ids, *counted}):
        tally = facts.tallies.get(programme_id) or ProgrammeTally()
        counters = tally.total.counters()
        figures[programme_id] = ProgrammeFigures(
            programme_id=programme_id,
            **counters,
            shares=shares_of(tally.total),
            breakdowns={
                by: {key: slice_.counters() for key, slice_ in sorted(by_key.items()) if slice_.attendances}
                for by, by_key in tally.slices.items()
            },
            targets=progress(counters, targets.get(programme_id, {})),
            disclosure_controlled=False,
            updated_at=now,
        )
    return figures
