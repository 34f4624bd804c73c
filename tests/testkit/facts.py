"""A generated programme's messages and its final facts, with a direct recomputation of its figures.

Used by the metrics tests (property-based and with real process kills), its benchmark, and reusable by
a demo. The recomputation is deliberately naive and independent of the metrics service's own code.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from shared.contracts.counters import ProgrammeFigures
from shared.contracts.envelope import CloudEvent, new_event
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EVENT_UPDATED,
    PARTICIPANT_ERASED,
    PARTICIPANT_KEY,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    PARTNER_REGISTERED,
    PARTNER_RENAMED,
    AttendanceRecorded,
    EventChanged,
    ParticipantChanged,
    ParticipantErased,
    ParticipantKey,
    PartnerChanged,
    Payload,
    SealedFields,
)
from shared.contracts.topics import Topics
from shared.kafka.consumer import Fact, Received, checked
from shared.kafka.producer import Outgoing
from shared.sealing import key_bytes, key_text, seal, unseal

PARTNERS = ("ucl", "teesside", "heriot-watt", "cardiff")
PARTNER_NAMES = {
    "ucl": "University College London",
    "teesside": "Teesside University",
    "heriot-watt": "Heriot-Watt University",
    "cardiff": "Cardiff University",
}
NATIONS = ("england", "scotland", "wales", "northern_ireland")
KINDS = ("training", "outreach", "accelerator")
ROLES = ("trainee", "student", "leader")
GENDERS = (None, "female", "male", "non_binary", "self_described", "prefer_not_to_say")
ETHNICITIES = (None, "asian", "black", "mixed", "white", "other", "prefer_not_to_say")
COUNTERS = (
    "trainees_trained",
    "students_reached",
    "events_delivered",
    "attendances",
    "leaders",
    "leader_organisations",
)


@dataclass(frozen=True)
class Message:
    """One message: which topic (participants|participant_keys|events|attendance|partners), its key, type
    and payload."""

    topic: str
    key: str
    type: str
    payload: Payload

    def event(self) -> CloudEvent:
        return new_event(source="/testkit", type=self.type, subject=self.key, data=self.payload)

    def outgoing(self, topics: Topics) -> Outgoing:
        return Outgoing(getattr(topics, self.topic), self.key, self.event())

    def fact(self, topics: Topics, offset: int) -> Fact[Any]:
        """The message as a consumer hands it over, read at `offset` of partition 0 of its topic."""
        return checked(Received(getattr(topics, self.topic), 0, offset, self.key, self.event(), None))


@dataclass
class GeneratedProgramme:
    programme_id: str
    messages: list[Message] = field(default_factory=list)
    participants: dict[str, ParticipantChanged] = field(default_factory=dict)
    events: dict[str, EventChanged] = field(default_factory=dict)
    attendance: dict[tuple[str, str], AttendanceRecorded] = field(default_factory=dict)
    partner_names: dict[str, str] = field(default_factory=dict)


def _participant(rng: random.Random, pid: str, programme_id: str, version: int, orgs: list[str]) -> Any:
    return ParticipantChanged.model_validate(
        {
            "participant_id": pid,
            "programme_id": programme_id,
            "partner_id": rng.choice(PARTNERS),
            "version": version,
            "role": rng.choice(ROLES),
            "organisation_id": rng.choice([*orgs, None]),
            "gender": rng.choice(GENDERS),
            "ethnicity": rng.choice(ETHNICITIES),
            "nation": rng.choice(NATIONS),
            "consent_data_processing": True,
            "consent_demographics": rng.random() < 0.8,
        }
    )


def sealed(participant: ParticipantChanged, key: bytes) -> ParticipantChanged:
    """The participant as registration publishes it: organisation and demographics only sealed, and
    demographics only with consent."""
    clear = SealedFields.model_fields
    kept = set(clear) if participant.consent_demographics else {"organisation_id"}
    fields = SealedFields.model_validate(participant.model_dump(include=kept))
    return participant.model_copy(
        update={
            **dict.fromkeys(clear),
            "sealed": seal(key, participant.participant_id, participant.version, fields),
        }
    )


def opened(participant: ParticipantChanged, key: bytes) -> ParticipantChanged:
    assert participant.sealed is not None
    fields = unseal(key, participant.participant_id, participant.version, participant.sealed)
    return participant.model_copy(update={**fields.model_dump(), "sealed": None})


def _event(rng: random.Random, eid: str, programme_id: str, version: int, cancelled: bool) -> Any:
    # From months before the first check-in: an event checked in late counts in the month it took place.
    starts = datetime(2025, 11, 3, tzinfo=UTC) + timedelta(days=rng.randrange(150))
    return EventChanged.model_validate(
        {
            "event_id": eid,
            "programme_id": programme_id,
            "partner_id": rng.choice(PARTNERS),
            "version": version,
            "kind": rng.choice(KINDS),
            "title": f"Event {eid}",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "nation": rng.choice(NATIONS),
            "status": "cancelled" if cancelled else "scheduled",
        }
    )


def generate_programme(
    rng: random.Random,
    *,
    participants: int = 30,
    events: int = 8,
    attendances: int = 120,
    programme_id: str = "resilience",
    duplicate_share: float = 0.1,
    changes: bool = True,
) -> GeneratedProgramme:
    """Participants with role, organisation and demographic changes and erasures; events of every kind,
    some cancelled (and some of those re-scheduled); attendance including unknown sides and redeliveries.

    Without `changes`, every participant and event has one version and none is cancelled or erased, so
    the figures of any part of the messages are at most those of all of them.
    """
    out = GeneratedProgramme(programme_id)
    for partner_id, name in PARTNER_NAMES.items():
        # With changes, one partner is first registered under an older name and renamed later.
        names = [f"{name} (old name)", name] if changes and partner_id == "cardiff" else [name]
        for version, called in enumerate(names, start=1):
            kind = PARTNER_REGISTERED if version == 1 else PARTNER_RENAMED
            fact = PartnerChanged(
                partner_id=partner_id, programme_id=programme_id, name=called, version=version
            )
            out.messages.append(Message("partners", partner_id, kind, fact))
        out.partner_names[partner_id] = name
    tag = f"{rng.getrandbits(32):08x}"
    orgs = [f"org-{tag}-{i}" for i in range(max(3, participants // 8))]
    pids = [f"p-{tag}-{i}" for i in range(participants)]
    eids = [f"e-{tag}-{i}" for i in range(events)]
    for pid in pids:
        versions = rng.choice((1, 1, 1, 2, 3)) if changes else 1
        # Half the participants as registration publishes them now: sealed, their key on its own topic
        # (before or after their facts); the others as published before sealing, in clear.
        data_key = rng.randbytes(32) if rng.random() < 0.5 else None
        key_message = (
            Message(
                "participant_keys",
                pid,
                PARTICIPANT_KEY,
                ParticipantKey(participant_id=pid, key=key_text(data_key)),
            )
            if data_key
            else None
        )
        key_first = rng.random() < 0.5
        if key_message and key_first:
            out.messages.append(key_message)
        for version in range(1, versions + 1):
            fact = _participant(rng, pid, programme_id, version, orgs)
            kind = PARTICIPANT_REGISTERED if version == 1 else PARTICIPANT_UPDATED
            published = sealed(fact, data_key) if data_key else fact
            out.messages.append(Message("participants", pid, kind, published))
            out.participants[pid] = fact
        if key_message and not key_first:
            out.messages.append(key_message)
        if changes and rng.random() < 0.15:
            erased = ParticipantErased(
                participant_id=pid, programme_id=programme_id, partner_id="ucl", version=versions + 1
            )
            out.messages.append(Message("participants", pid, PARTICIPANT_ERASED, erased))
            out.participants[pid] = erased_view(out.participants[pid])
    for eid in eids:
        histories = ((False,), (False,), (False, False), (False, True), (False, True, False))
        history = rng.choice(histories if changes else ((False,),))
        for version, cancelled in enumerate(history, start=1):
            fact = _event(rng, eid, programme_id, version, cancelled)
            kind = EVENT_CANCELLED if cancelled else EVENT_SCHEDULED if version == 1 else EVENT_UPDATED
            out.messages.append(Message("events", eid, kind, fact))
            out.events[eid] = fact
    # Some attendance names a participant or event that never arrives: it must never count.
    unknown_pids = [f"p-{tag}-unknown-{i}" for i in range(max(1, participants // 20))]
    unknown_eids = [f"e-{tag}-unknown-0"]
    all_eids, all_pids = eids + unknown_eids, pids + unknown_pids
    # Distinct (event, participant) pairs drawn by index: listing every pair first took ~12 GB for the
    # benchmark's 1,000,000 attendances (1,001 events x 105,000 participants).
    pair_count = len(all_eids) * len(all_pids)
    chosen = rng.sample(range(pair_count), min(attendances, pair_count))
    for n, index in enumerate(chosen):
        eid, pid = all_eids[index // len(all_pids)], all_pids[index % len(all_pids)]
        zone = timezone(timedelta(hours=rng.choice((-5, 0, 1, 9))))
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 120))
        record = AttendanceRecorded(
            attendance_id=f"a-{tag}-{n}",
            programme_id=programme_id,
            event_id=eid,
            participant_id=pid,
            partner_id=rng.choice(PARTNERS),
            checkin_id=f"c-{tag}-{n}",
            checked_in_at=moment.astimezone(zone),
        )
        message = Message("attendance", pid, ATTENDANCE_RECORDED, record)
        out.messages.append(message)
        if rng.random() < duplicate_share:
            out.messages.append(message)  # redelivered by the producer's outbox relay
        out.attendance[(eid, pid)] = record
    return out


def erased_view(participant: ParticipantChanged) -> ParticipantChanged:
    """How an erased participant counts: reach stays, categories are not disclosed, no organisation."""
    cleared = ("organisation_id", "gender", "ethnicity", "nation", "region", "sealed")
    return participant.model_copy(update=dict.fromkeys(cleared))


def programme_of(programme_id: str, messages: Iterable[Message]) -> GeneratedProgramme:
    """The facts some messages carry: each participant's and event's latest version, each earliest check-in."""
    out = GeneratedProgramme(programme_id)
    erased: set[str] = set()
    keys: dict[str, bytes] = {}
    for message in messages:
        payload = message.payload
        if isinstance(payload, ParticipantErased):
            erased.add(payload.participant_id)
        elif isinstance(payload, ParticipantKey):
            keys[payload.participant_id] = key_bytes(payload.key)
        elif isinstance(payload, ParticipantChanged):
            held_p = out.participants.get(payload.participant_id)
            if held_p is None or held_p.version < payload.version:
                out.participants[payload.participant_id] = payload
        elif isinstance(payload, EventChanged):
            held_e = out.events.get(payload.event_id)
            if held_e is None or held_e.version < payload.version:
                out.events[payload.event_id] = payload
        elif isinstance(payload, AttendanceRecorded):
            key = (payload.event_id, payload.participant_id)
            held_a = out.attendance.get(key)
            if held_a is None or payload.checked_in_at < held_a.checked_in_at:
                out.attendance[key] = payload
    for pid, participant in list(out.participants.items()):
        if pid in erased:
            out.participants[pid] = erased_view(participant)
        elif participant.sealed is not None and pid in keys:
            out.participants[pid] = opened(participant, keys[pid])
        elif participant.sealed is not None:
            del out.participants[pid]  # counted once its key is known
    return out


def excess(observed: dict[str, Any], expected: dict[str, Any], path: str = "") -> list[str]:
    """Every figure of `observed` above the same figure of `expected` (a figure missing there is 0)."""
    found: list[str] = []
    for name, value in observed.items():
        wanted = expected.get(name, {} if isinstance(value, dict) else 0)
        if isinstance(value, dict):
            found.extend(excess(value, wanted, f"{path}/{name}"))
        elif value is not None and value > wanted:
            found.append(f"{path}/{name}: {value} > {wanted}")
    return found


def _category(p: ParticipantChanged, dimension: str) -> str:
    gender = p.gender.value if p.consent_demographics and p.gender else "prefer_not_to_say"
    ethnicity = p.ethnicity.value if p.consent_demographics and p.ethnicity else "prefer_not_to_say"
    if dimension == "gender":
        return "not_disclosed" if gender == "prefer_not_to_say" else gender
    if ethnicity == "prefer_not_to_say":
        return "not_disclosed"
    if dimension == "ethnicity":
        return ethnicity
    return "no" if ethnicity == "white" else "yes"


def _counters(rows: list[tuple[AttendanceRecorded, EventChanged, ParticipantChanged]]) -> dict[str, int]:
    leaders = {p.participant_id for _, e, p in rows if p.role == "leader" and e.kind == "accelerator"}
    organisations = {
        p.organisation_id for _, e, p in rows if p.participant_id in leaders and p.organisation_id
    }
    return {
        "trainees_trained": len(
            {p.participant_id for _, e, p in rows if p.role == "trainee" and e.kind == "training"}
        ),
        "students_reached": len({p.participant_id for _, _, p in rows if p.role == "student"}),
        "events_delivered": len({a.event_id for a, _, _ in rows}),
        "attendances": len(rows),
        "leaders": len(leaders),
        "leader_organisations": len(organisations),
    }


def expected_figures(programme: GeneratedProgramme) -> dict[str, Any]:
    """Counters, share counts, breakdowns and reach by the end of each month, recomputed directly from the
    final facts."""
    rows = [
        (a, programme.events[a.event_id], programme.participants[a.participant_id])
        for a in programme.attendance.values()
        if a.event_id in programme.events
        and a.participant_id in programme.participants
        and programme.events[a.event_id].status.value != "cancelled"
    ]
    populations = {
        "trainees_trained": {
            p.participant_id for _, e, p in rows if p.role == "trainee" and e.kind == "training"
        },
        "students_reached": {p.participant_id for _, _, p in rows if p.role == "student"},
        "leaders": {p.participant_id for _, e, p in rows if p.role == "leader" and e.kind == "accelerator"},
    }
    shares = {
        name: {
            dimension: dict(Counter(_category(programme.participants[m], dimension) for m in members))
            for dimension in ("gender", "ethnicity", "ethnic_minority")
        }
        for name, members in populations.items()
    }
    slice_keys = {
        "partner": lambda a, e: e.partner_id,
        "nation": lambda a, e: e.nation.value,
        "kind": lambda a, e: e.kind.value,
        "month": lambda a, e: e.starts_at.astimezone(UTC).strftime("%Y-%m"),
    }
    breakdowns = {
        by: {
            key: _counters([r for r in rows if key_of(r[0], r[1]) == key])
            for key in {key_of(a, e) for a, e, _ in rows}
        }
        for by, key_of in slice_keys.items()
    }
    month_of = slice_keys["month"]
    reach = {
        month: _counters([r for r in rows if month_of(r[0], r[1]) <= month])
        for month in {month_of(a, e) for a, e, _ in rows}
    }
    return {"counters": _counters(rows), "shares": shares, "breakdowns": breakdowns, "reach": reach}


def observed_figures(figures: ProgrammeFigures) -> dict[str, Any]:
    """The same shape as expected_figures, read from exact ProgrammeFigures (zero share cells dropped)."""
    return {
        "counters": {name: getattr(figures, name) for name in COUNTERS},
        "shares": {
            name: {
                dimension: {c: s.count for c, s in cells.items() if s.count}
                for dimension, cells in by_dimension.items()
            }
            for name, by_dimension in figures.shares.items()
        },
        "breakdowns": figures.breakdowns,
        "reach": figures.reach_by_month,
    }
