"""The facts metrics counts from, and which of two facts of the same entity wins.

Merging is idempotent, commutative and associative, so any order, any redelivery and any overlap of stored
segments yields the same fact set: a participant or event keeps its highest version; an attendance is one
per (event_id, participant_id) and keeps its earliest check-in time; a participant's data key is set once
and an erasure is final (docs/architecture.md, Erasure). Facts are named tuples, so a stored
partition loads them as plain tuples at C speed (metrics.repository.codec). Their ids are interned: each
message decodes its own copy of every id, and a million attendances held ~200 bytes each of copies of the
same event and participant ids (interned strings also stay shared through a stored partition).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from sys import intern
from typing import NamedTuple

from shared.contracts.payloads import AttendanceRecorded, EventChanged, ParticipantChanged
from shared.contracts.vocabulary import EventStatus
from shared.sealing import Unsealable, unseal

AttendanceKey = tuple[str, str]  # (event_id, participant_id)


class ParticipantFact(NamedTuple):
    """The categories of a participant that metrics needs; demographics are None without consent.

    As published now, organisation and demographics are in `sealed` only (open with `opened`); the clear
    fields come from events published before sealing, or from opening.
    """

    participant_id: str
    programme_id: str
    version: int
    role: str
    organisation_id: str | None
    gender: str | None
    ethnicity: str | None
    sealed: str | None = None


class KeyFact(NamedTuple):
    """A participant's data key, which opens their sealed fields (pulse.participant-keys)."""

    participant_id: str
    key: bytes


class ErasedFact(NamedTuple):
    """A participant was erased: their categories and organisation count no more, their key is dropped."""

    participant_id: str


class EventFact(NamedTuple):
    event_id: str
    programme_id: str
    version: int
    partner_id: str
    kind: str
    nation: str
    cancelled: bool
    month: str  # `YYYY-MM` of the event's start in UTC: the month its attendance counts in


class AttendanceFact(NamedTuple):
    """One attendance; `checked_in_at` is a fixed-width UTC string, so it orders as text."""

    programme_id: str
    event_id: str
    participant_id: str
    checked_in_at: str

    @property
    def key(self) -> AttendanceKey:
        return (self.event_id, self.participant_id)


Fact = ParticipantFact | EventFact | AttendanceFact | KeyFact | ErasedFact


def utc_text(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.ffffffZ`; isoformat is a third cheaper than strftime and pads the year."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


def _interned(value: str | None) -> str | None:
    return intern(value) if value is not None else None


def participant_fact(payload: ParticipantChanged) -> ParticipantFact:
    consented = payload.consent_demographics
    return ParticipantFact(
        participant_id=intern(payload.participant_id),
        programme_id=intern(payload.programme_id),
        version=payload.version,
        role=payload.role.value,
        organisation_id=_interned(payload.organisation_id),
        gender=payload.gender.value if consented and payload.gender else None,
        ethnicity=payload.ethnicity.value if consented and payload.ethnicity else None,
        sealed=payload.sealed,
    )


def opened(participant: ParticipantFact, key: bytes) -> ParticipantFact:
    """The participant with their sealed fields opened; as it is when they do not open with this key."""
    if participant.sealed is None:
        return participant
    try:
        fields = unseal(key, participant.participant_id, participant.version, participant.sealed)
    except Unsealable:
        return participant  # counted as not disclosed, like a participant whose key is not known
    return participant._replace(
        organisation_id=_interned(fields.organisation_id),
        gender=fields.gender.value if fields.gender else None,
        ethnicity=fields.ethnicity.value if fields.ethnicity else None,
    )


def stripped(participant: ParticipantFact) -> ParticipantFact:
    """What an erased participant keeps: role and programme (reach), no categories, no organisation."""
    return participant._replace(organisation_id=None, gender=None, ethnicity=None, sealed=None)


def event_fact(payload: EventChanged) -> EventFact:
    return EventFact(
        event_id=intern(payload.event_id),
        programme_id=intern(payload.programme_id),
        version=payload.version,
        partner_id=intern(payload.partner_id),
        kind=payload.kind.value,
        nation=payload.nation.value,
        cancelled=payload.status is EventStatus.CANCELLED,
        month=intern(utc_text(payload.starts_at)[:7]),
    )


def attendance_fact(payload: AttendanceRecorded) -> AttendanceFact:
    return AttendanceFact(
        programme_id=intern(payload.programme_id),
        event_id=intern(payload.event_id),
        participant_id=intern(payload.participant_id),
        checked_in_at=utc_text(payload.checked_in_at),
    )


def newer(a: ParticipantFact | EventFact, b: ParticipantFact | EventFact) -> bool:
    """True when `a` should replace `b`; equal versions tie-break on content so merging commutes."""
    if a.version != b.version:
        return a.version > b.version
    return repr(a) > repr(b)


def reduce_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The facts of one batch with duplicates and superseded versions dropped."""
    participants: dict[str, ParticipantFact] = {}
    events: dict[str, EventFact] = {}
    attendance: dict[AttendanceKey, AttendanceFact] = {}
    keys: dict[str, KeyFact] = {}
    erased: dict[str, ErasedFact] = {}
    for fact in facts:
        if isinstance(fact, KeyFact):
            held_k = keys.get(fact.participant_id)
            if held_k is None or fact.key < held_k.key:  # one key per participant; the least, so order-free
                keys[fact.participant_id] = fact
        elif isinstance(fact, ErasedFact):
            erased[fact.participant_id] = fact
        elif isinstance(fact, AttendanceFact):
            held_a = attendance.get(fact.key)
            if held_a is None or fact.checked_in_at < held_a.checked_in_at:
                attendance[fact.key] = fact
        elif isinstance(fact, ParticipantFact):
            held_p = participants.get(fact.participant_id)
            if held_p is None or newer(fact, held_p):
                participants[fact.participant_id] = fact
        else:
            held_e = events.get(fact.event_id)
            if held_e is None or newer(fact, held_e):
                events[fact.event_id] = fact
    return [*participants.values(), *events.values(), *attendance.values(), *keys.values(), *erased.values()]
