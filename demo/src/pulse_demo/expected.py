"""The figures a correct platform must show for a planned programme, computed straight from the plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pulse_demo.programme import MINORITY, Programme
from shared.contracts.vocabulary import EventKind, Role

POPULATIONS = {"trainees_trained": Role.TRAINEE, "students_reached": Role.STUDENT, "leaders": Role.LEADER}
NOT_DISCLOSED = "not_disclosed"


@dataclass
class ExpectedFigures:
    counters: dict[str, int]
    # population -> dimension -> category -> count
    shares: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    # by -> key -> attendances
    attendances_by: dict[str, dict[str, int]] = field(default_factory=dict)


def expected_figures(programme: Programme) -> ExpectedFigures:
    people = {p.key: p for p in programme.people}
    events = {e.key: e for e in programme.events}
    members: dict[str, set[str]] = {name: set() for name in POPULATIONS}
    for visit in programme.attendance:
        person, event = people[visit.person], events[visit.event]
        if person.role is Role.STUDENT:
            members["students_reached"].add(person.key)
        if person.role is Role.TRAINEE and event.kind is EventKind.TRAINING:
            members["trainees_trained"].add(person.key)
        if person.role is Role.LEADER and event.kind is EventKind.ACCELERATOR:
            members["leaders"].add(person.key)
    organisations = {people[key].organisation for key in members["leaders"]} - {None}
    counters = {
        "trainees_trained": len(members["trainees_trained"]),
        "students_reached": len(members["students_reached"]),
        "events_delivered": len({v.event for v in programme.attendance}),
        "attendances": len(programme.attendance),
        "leaders": len(members["leaders"]),
        "leader_organisations": len(organisations),
    }
    shares: dict[str, dict[str, dict[str, int]]] = {}
    for population, keys in members.items():
        group = [people[k] for k in keys]
        shares[population] = {
            "gender": dict(Counter(p.gender.value if p.gender else NOT_DISCLOSED for p in group)),
            "ethnicity": dict(Counter(p.ethnicity.value if p.ethnicity else NOT_DISCLOSED for p in group)),
            "ethnic_minority": dict(Counter(_minority(p.ethnicity) for p in group)),
        }
    attendances_by = {
        "partner": dict(Counter(events[v.event].partner for v in programme.attendance)),
        "nation": dict(Counter(events[v.event].nation.value for v in programme.attendance)),
        "kind": dict(Counter(events[v.event].kind.value for v in programme.attendance)),
        "month": dict(Counter(v.checked_in_at.strftime("%Y-%m") for v in programme.attendance)),
    }
    return ExpectedFigures(counters, shares, attendances_by)


def _minority(ethnicity: object) -> str:
    if ethnicity is None or getattr(ethnicity, "value", None) == "prefer_not_to_say":
        return NOT_DISCLOSED
    return "yes" if ethnicity in MINORITY else "no"
