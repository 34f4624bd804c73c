"""The fact each consumed message carries."""

from __future__ import annotations

from metrics.domain.facts import ErasedFact, Fact, KeyFact, attendance_fact, event_fact, participant_fact
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EVENT_UPDATED,
    KEYS_ROLL_KEY,
    PARTICIPANT_ERASED,
    PARTICIPANT_KEY,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    TOMBSTONE,
    AttendanceRecorded,
    EventChanged,
    ParticipantChanged,
    ParticipantErased,
    ParticipantKey,
)
from shared.kafka.consumer import Received
from shared.sealing import key_bytes


def fact_of(received: Received) -> Fact | None:
    """The fact a message carries; None for types that change no figure.

    An erasure, and the tombstone that deletes a key on `pulse.participant-keys`, both erase: either may
    be read first. Raises pydantic's ValidationError (or ValueError) for a payload that does not fit its type.
    """
    kind, data = received.event.type, received.event.data
    if kind == PARTICIPANT_KEY:
        published = ParticipantKey.model_validate(data)
        return KeyFact(published.participant_id, key_bytes(published.key))
    if kind == PARTICIPANT_ERASED:
        return ErasedFact(ParticipantErased.model_validate(data).participant_id)
    if kind == TOMBSTONE and received.event.subject not in (None, KEYS_ROLL_KEY):
        return ErasedFact(received.event.subject)
    if kind == ATTENDANCE_RECORDED:
        return attendance_fact(AttendanceRecorded.model_validate(data))
    if kind in (PARTICIPANT_REGISTERED, PARTICIPANT_UPDATED):
        return participant_fact(ParticipantChanged.model_validate(data))
    if kind in (EVENT_SCHEDULED, EVENT_UPDATED, EVENT_CANCELLED):
        return event_fact(EventChanged.model_validate(data))
    return None
