"""The fact each consumed message carries."""

from __future__ import annotations

from typing import Any

from metrics.domain.facts import ErasedFact, Fact, KeyFact, attendance_fact, event_fact, participant_fact
from shared.contracts.payloads import (
    KEYS_ROLL_KEY,
    TOMBSTONE,
    AttendanceRecorded,
    EventChanged,
    ParticipantChanged,
    ParticipantErased,
    ParticipantKey,
)
from shared.kafka import consumer
from shared.sealing import key_bytes


def fact_of(consumed: consumer.Fact[Any]) -> Fact | None:
    """The fact a consumed message carries; None for types that change no figure.

    The consumer loop has checked the payload against its type's model (each model is the payload of one
    kind of fact). An erasure, and the tombstone that deletes a key on `pulse.participant-keys`, both
    erase: either may be read first. Raises ValueError for a published key that is not one.
    """
    payload = consumed.payload
    if isinstance(payload, AttendanceRecorded):
        return attendance_fact(payload)
    if isinstance(payload, ParticipantChanged):
        return participant_fact(payload)
    if isinstance(payload, EventChanged):
        return event_fact(payload)
    if isinstance(payload, ParticipantKey):
        return KeyFact(payload.participant_id, key_bytes(payload.key))
    if isinstance(payload, ParticipantErased):
        return ErasedFact(payload.participant_id)
    subject = consumed.event.subject
    if consumed.event.type == TOMBSTONE and subject not in (None, KEYS_ROLL_KEY):
        return ErasedFact(subject)
    return None
