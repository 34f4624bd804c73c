"""The fact each consumed message carries."""

from __future__ import annotations

from metrics.domain.facts import Fact, attendance_fact, event_fact, participant_fact
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EVENT_UPDATED,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    AttendanceRecorded,
    EventChanged,
    ParticipantChanged,
)
from shared.kafka.consumer import Received


def fact_of(received: Received) -> Fact | None:
    """The fact a message carries; None for types that change no figure (erasure keeps categories).

    Raises pydantic's ValidationError for a payload that does not fit its type.
    """
    kind, data = received.event.type, received.event.data
    if kind == ATTENDANCE_RECORDED:
        return attendance_fact(AttendanceRecorded.model_validate(data))
    if kind in (PARTICIPANT_REGISTERED, PARTICIPANT_UPDATED):
        return participant_fact(ParticipantChanged.model_validate(data))
    if kind in (EVENT_SCHEDULED, EVENT_UPDATED, EVENT_CANCELLED):
        return event_fact(EventChanged.model_validate(data))
    return None
