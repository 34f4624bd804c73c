"""The figures a correct platform must show for a planned programme, computed straight from the plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from enum import StrEnum

from pulse_demo.programme import MINORITY, Programme
from shared.contracts.vocabulary import Ethnicity, EventKind, Role

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
            "gender": dict(Counter(_disclosed(p.gender) for p in group)),
            "ethnicity": dict(Counter(_disclosed(p.ethnicity) for p in group)),
            "ethnic_minority": dict(Counter(_minority(p.ethnicity) for p in group)),
        }
    attendances_by = {
        "partner": dict(Counter(events[v.event].partner for v in programme.attendance)),
        "nation": dict(Counter(events[v.event].nation.value for v in programme.attendance)),
        "kind": dict(Counter(events[v.event].kind.value for v in programme.attendance)),
        "month": dict(
            Counter(events[v.event].starts_at.astimezone(UTC).strftime("%Y-%m") for v in programme.attendance)
        ),
    }
    return ExpectedFigures(counters, shares, attendances_by)


def _disclosed(category: StrEnum | None) -> str:
    """Consent withheld, nothing given and "prefer not to say" are all one category: not disclosed."""
    return NOT_DISCLOSED if category is None or category.value == "prefer_not_to_say" else category.value


def _minority(ethnicity: Ethnicity | None) -> str:
    category = _disclosed(ethnicity)
    return category if category == NOT_DISCLOSED else "yes" if ethnicity in MINORITY else "no"
