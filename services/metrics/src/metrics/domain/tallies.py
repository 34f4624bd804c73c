"""Who is counted where: the distinct members behind each counter, for a programme and each breakdown cell.

Attendance counts once both its participant and its event are known. Attendance at a cancelled event
is excluded: the event did not happen as scheduled, and because cancellation is a versioned state of the
event, an event re-scheduled by a later version counts again.
"""

from __future__ import annotations

from typing import Any

from metrics.domain.facts import EventFact, ParticipantFact

NOT_DISCLOSED = "not_disclosed"
POPULATIONS = ("trainees_trained", "students_reached", "leaders")
BREAKDOWNS = ("partner", "nation", "kind", "month")
CATEGORIES: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male", "non_binary", "self_described", NOT_DISCLOSED),
    "ethnicity": ("asian", "black", "mixed", "white", "other", NOT_DISCLOSED),
    "ethnic_minority": ("yes", "no", NOT_DISCLOSED),
}
_MINORITY_GROUPS = {"asian", "black", "mixed", "other"}
MEMBER_COUNTERS = (*POPULATIONS, "events_delivered", "leader_organisations")


def slice_keys(event: EventFact) -> tuple[str, str, str, str]:
    """The breakdown cells (partner, nation, kind, month) an attendance counts in: all the event's, so an
    event checked in late still counts in the month it took place (docs/architecture.md, Counting rules)."""
    return (event.partner_id, event.nation, event.kind, event.month)


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


class Tally:
    """The distinct members behind each counter, within a whole programme or one breakdown cell.

    Each member is held with the number of counted attendances that bring it in, so that an attendance
    can be counted out again when its event or participant changes. With `shares`, the tally also keeps
    each population's members counted by category (as the participant stood when it joined).
    """

    __slots__ = ("attendances", "members", "shares")

    def __init__(self, *, shares: bool = False) -> None:
        self.attendances = 0
        self.members: dict[str, dict[str, int]] = {name: {} for name in MEMBER_COUNTERS}
        self.shares: dict[str, dict[str, dict[str, int]]] | None = (
            {
                population: {dimension: dict.fromkeys(names, 0) for dimension, names in CATEGORIES.items()}
                for population in POPULATIONS
            }
            if shares
            else None
        )

    def add(self, event: EventFact, participant: ParticipantFact, sign: int) -> str | None:
        """Count one attendance in (sign 1) or out (sign -1); the population its participant joined or
        left here, if any."""
        self.attendances += sign
        self._bump("events_delivered", event.event_id, sign)
        population = population_of(event, participant)
        if population is None:
            return None
        moved = self._bump(population, participant.participant_id, sign)
        if moved and self.shares is not None:
            for dimension, category in categories_of(participant).items():
                self.shares[population][dimension][category] += sign
        if population == "leaders" and participant.organisation_id:
            self._bump("leader_organisations", participant.organisation_id, sign)
        return population if moved else None

    def _bump(self, counter: str, member: str, sign: int) -> bool:
        """Count `member` in or out of one counter; True when it joined or left."""
        members = self.members[counter]
        held = members.get(member, 0) + sign
        if held:
            members[member] = held
        else:
            del members[member]
        return held == (1 if sign > 0 else 0)

    def state(self) -> tuple[int, dict[str, dict[str, int]], dict[str, dict[str, dict[str, int]]] | None]:
        """The tally as core types, for storage."""
        return (self.attendances, self.members, self.shares)

    @classmethod
    def from_state(cls, state: Any) -> Tally:
        tally = cls.__new__(cls)
        tally.attendances, tally.members, tally.shares = state
        return tally


def _count(counts: dict[str, int], key: str, sign: int) -> None:
    held = counts.get(key, 0) + sign
    if held:
        counts[key] = held
    else:
        del counts[key]


class ProgrammeTally:
    """A programme's total, its breakdown cells, and each population member's first month.

    `firsts` holds the month of each member's first counted attendance (by event date) and `joined` how
    many members joined in each month, kept as members join and leave month cells, so reach by month is
    read off without a pass over the members (docs/architecture.md, Metrics partitions and merge).
    """

    __slots__ = ("firsts", "joined", "slices", "total")

    def __init__(self) -> None:
        self.total = Tally(shares=True)
        self.slices: dict[str, dict[str, Tally]] = {by: {} for by in BREAKDOWNS}
        self.firsts: dict[str, dict[str, str]] = {population: {} for population in POPULATIONS}
        self.joined: dict[str, dict[str, int]] = {population: {} for population in POPULATIONS}

    def add(self, event: EventFact, participant: ParticipantFact, sign: int) -> None:
        self.total.add(event, participant, sign)
        for by, key in zip(BREAKDOWNS, slice_keys(event), strict=True):
            cells = self.slices[by]
            tally = cells.get(key)
            if tally is None:
                tally = cells[key] = Tally()
            moved = tally.add(event, participant, sign)
            if by == "month" and moved is not None:
                self._month_moved(moved, participant.participant_id, key, sign)

    def _month_moved(self, population: str, member: str, month: str, sign: int) -> None:
        """A member joined (sign 1) or left (sign -1) a month's cell: move its first month if that changed."""
        firsts, joined = self.firsts[population], self.joined[population]
        held = firsts.get(member)
        if sign > 0:
            if held is not None and held <= month:
                return
            if held is not None:
                _count(joined, held, -1)
        else:
            if held != month:
                return
            _count(joined, month, -1)
            months = self.slices["month"]
            month = min((m for m, cell in months.items() if member in cell.members[population]), default="")
            if not month:
                del firsts[member]
                return
        firsts[member] = month
        _count(joined, month, 1)

    def state(
        self,
    ) -> tuple[Any, dict[str, dict[str, Any]], dict[str, dict[str, str]], dict[str, dict[str, int]]]:
        return (
            self.total.state(),
            {by: {key: tally.state() for key, tally in cells.items()} for by, cells in self.slices.items()},
            self.firsts,
            self.joined,
        )

    @classmethod
    def from_state(cls, state: Any) -> ProgrammeTally:
        total, slices, firsts, joined = state
        programme = cls.__new__(cls)
        programme.total = Tally.from_state(total)
        programme.slices = {
            by: {key: Tally.from_state(tally) for key, tally in cells.items()} for by, cells in slices.items()
        }
        programme.firsts = firsts
        programme.joined = joined
        return programme
