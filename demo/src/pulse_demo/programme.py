"""A deterministic programme shaped like RESILIENCE: partners, organisations, events, people and attendance.

The generator plans who attends what; `expected.py` derives the figures the platform must show from the plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from shared.contracts.vocabulary import Ethnicity, EventKind, Gender, Nation, OrganisationKind, Role

PARTNERS = (
    ("ucl", "University College London", Nation.ENGLAND),
    ("tees", "Teesside University", Nation.ENGLAND),
    ("hw", "Heriot-Watt University", Nation.SCOTLAND),
)
REGIONS = {
    Nation.ENGLAND: ("London", "North East", "North West", "South East", "Yorkshire and the Humber"),
    Nation.SCOTLAND: ("Edinburgh", "Glasgow", "Aberdeen"),
    Nation.WALES: ("Cardiff", "Swansea"),
    Nation.NORTHERN_IRELAND: ("Belfast",),
}
MINORITY = {Ethnicity.ASIAN, Ethnicity.BLACK, Ethnicity.MIXED, Ethnicity.OTHER}


@dataclass(frozen=True)
class Shape:
    """How big the programme is; the defaults are RESILIENCE's reported figures."""

    trainees_trained: int = 1500
    students_reached: int = 15000
    leaders: int = 75
    leader_organisations: int = 23
    training_events: int = 60
    outreach_events: int = 100
    accelerator_events: int = 10
    unattended_events: int = 8
    never_attending_share: float = 0.08
    leader_female: int = 50
    leader_minority: int = 34
    start: datetime = datetime(2024, 12, 2, 9, 0, tzinfo=UTC)
    days: int = 700

    def scaled(self, factor: float) -> Shape:
        """A smaller programme of the same shape, for tests."""

        def s(n: int, least: int) -> int:
            return max(least, round(n * factor))

        leaders = s(self.leaders, 6)
        return replace(
            self,
            trainees_trained=s(self.trainees_trained, 10),
            students_reached=s(self.students_reached, 20),
            leaders=leaders,
            leader_organisations=min(leaders, s(self.leader_organisations, 3)),
            training_events=s(self.training_events, 3),
            outreach_events=s(self.outreach_events, 3),
            accelerator_events=s(self.accelerator_events, 2),
            unattended_events=s(self.unattended_events, 1),
            leader_female=round(leaders * self.leader_female / self.leaders),
            leader_minority=round(leaders * self.leader_minority / self.leaders),
        )


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    kind: OrganisationKind


@dataclass(frozen=True)
class Event:
    key: str
    partner: str
    kind: EventKind
    title: str
    starts_at: datetime
    ends_at: datetime
    nation: Nation
    region: str
    venue: str
    capacity: int


@dataclass(frozen=True)
class Person:
    key: str  # the partner's own reference for the person (partner_ref)
    partner: str
    role: Role
    given_name: str
    family_name: str
    email: str
    organisation: str | None
    consent_demographics: bool
    gender: Gender | None
    ethnicity: Ethnicity | None
    nation: Nation | None


@dataclass(frozen=True)
class Attendance:
    person: str
    event: str
    checked_in_at: datetime


@dataclass
class Programme:
    partners: list[tuple[str, str]] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)


def generate(shape: Shape = Shape(), seed: int = 2026) -> Programme:
    """Plan a whole programme; the same shape and seed always give the same programme."""
    rng = random.Random(seed)
    programme = Programme(partners=[(key, name) for key, name, _ in PARTNERS])
    employers = [
        Organisation(f"emp{n:02d}", f"Medicines Manufacturer {n:02d} Ltd", OrganisationKind.EMPLOYER)
        for n in range(1, shape.leader_organisations + 1)
    ]
    programme.organisations = employers
    programme.events = _events(shape, rng)
    by_kind = {
        kind: [e for e in programme.events[: _attended_count(shape)] if e.kind is kind] for kind in EventKind
    }
    attended = programme.events[: _attended_count(shape)]

    people: list[Person] = []
    visits: list[Attendance] = []
    for role, count, kinds in (
        (Role.TRAINEE, shape.trainees_trained, [EventKind.TRAINING]),
        (Role.STUDENT, shape.students_reached, [EventKind.OUTREACH, EventKind.OUTREACH, EventKind.TRAINING]),
        (Role.LEADER, shape.leaders, [EventKind.ACCELERATOR]),
    ):
        for n in range(count):
            person = _person(rng, role, n, shape, employers)
            people.append(person)
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                event = _pick_event(rng, person, by_kind[rng.choice(kinds)])
                visits.append(Attendance(person.key, event.key, _during(rng, event)))
        for n in range(count, count + max(1, round(count * shape.never_attending_share))):
            people.append(_person(rng, role, n, shape, employers, attends=False))

    # Every delivered event has at least one attendee; a duplicate pair is planned once only.
    first_attendees = [p for p in people if p.role is Role.STUDENT and not p.key.endswith("-na")][
        : len(attended)
    ]
    visits += [
        Attendance(p.key, e.key, _during(rng, e)) for p, e in zip(first_attendees, attended, strict=False)
    ]
    unique: dict[tuple[str, str], Attendance] = {}
    for visit in visits:
        unique.setdefault((visit.event, visit.person), visit)
    programme.people = people
    programme.attendance = list(unique.values())
    return programme


def _attended_count(shape: Shape) -> int:
    return shape.training_events + shape.outreach_events + shape.accelerator_events


def _events(shape: Shape, rng: random.Random) -> list[Event]:
    kinds = (
        [EventKind.TRAINING] * shape.training_events
        + [EventKind.OUTREACH] * shape.outreach_events
        + [EventKind.ACCELERATOR] * shape.accelerator_events
    )
    kinds += [rng.choice(list(EventKind)) for _ in range(shape.unattended_events)]  # nobody comes to these
    events = []
    for n, kind in enumerate(kinds):
        partner, partner_name, home = PARTNERS[n % len(PARTNERS)]
        nation = home if rng.random() < 0.7 else rng.choice(list(Nation))
        region = rng.choice(REGIONS[nation])
        starts_at = shape.start + timedelta(days=rng.randrange(shape.days), hours=rng.randrange(8))
        events.append(
            Event(
                key=f"ev{n:04d}",
                partner=partner,
                kind=kind,
                title=f"{kind.value.title()} session {n + 1} — {partner_name}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=rng.choice((2, 3, 6))),
                nation=nation,
                region=region,
                venue=f"{region} campus, room {rng.randrange(1, 40)}",
                capacity=rng.choice((30, 60, 120, 400)),
            )
        )
    return events


def _person(
    rng: random.Random, role: Role, n: int, shape: Shape, employers: list[Organisation], attends: bool = True
) -> Person:
    partner = PARTNERS[n % len(PARTNERS)][0]
    key = f"{role.value[:2]}-{n:06d}"
    consent = role is Role.LEADER or rng.random() < 0.9
    gender: Gender | None
    ethnicity: Ethnicity | None
    if role is Role.LEADER and attends:
        # Leaders are planned to hit the reported shares exactly.
        gender = Gender.FEMALE if n < shape.leader_female else rng.choice([Gender.MALE, Gender.NON_BINARY])
        minority = n >= shape.leaders - shape.leader_minority
        ethnicity = rng.choice(sorted(MINORITY)) if minority else Ethnicity.WHITE
    else:
        gender = rng.choices(list(Gender), weights=(50, 44, 2, 1, 3))[0] if consent else None
        ethnicity = rng.choices(list(Ethnicity), weights=(18, 8, 5, 62, 3, 4))[0] if consent else None
    organisation = employers[n % len(employers)].key if role is Role.LEADER else None
    return Person(
        key=key if attends else f"{key}-na",
        partner=partner,
        role=role,
        given_name=rng.choice(
            ("Amara", "Ben", "Chloe", "Dev", "Eilidh", "Finn", "Grace", "Hamza", "Isla", "Jon")
        ),
        family_name=rng.choice(("Okafor", "Smith", "Patel", "MacLeod", "Jones", "Nguyen", "Evans", "Khan")),
        email=f"{key}{'-na' if not attends else ''}@{partner}.example.ac.uk",
        organisation=organisation,
        consent_demographics=consent,
        gender=gender,
        ethnicity=ethnicity,
        nation=rng.choice(list(Nation)) if consent else None,
    )


def _pick_event(rng: random.Random, person: Person, events: list[Event]) -> Event:
    """Mostly the person's own partner's events; some attend another partner's."""
    own = [e for e in events if e.partner == person.partner]
    return rng.choice(own if own and rng.random() < 0.9 else events)


def _during(rng: random.Random, event: Event) -> datetime:
    span = int((event.ends_at - event.starts_at).total_seconds())
    return event.starts_at + timedelta(seconds=rng.randrange(max(span, 1)))
