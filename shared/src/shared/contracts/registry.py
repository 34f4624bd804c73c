"""The registry of every event type on the topics and the model of its payload.

Consumers dispatch by it (`shared.kafka.consumer`): a type it does not name, or a payload its model refuses,
is dead-lettered. The AsyncAPI document is generated from it.
"""

from __future__ import annotations

from pydantic import BaseModel

from shared.contracts.counters import CountersSnapshot
from shared.contracts.partials import PartitionPartial
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    COUNTERS_SNAPSHOT,
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EVENT_UPDATED,
    PARTICIPANT_ERASED,
    PARTICIPANT_KEY,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    PARTITION_PARTIAL,
    PARTNER_REGISTERED,
    PARTNER_RENAMED,
    TOMBSTONE,
    AttendanceRecorded,
    AttendanceReleased,
    EventChanged,
    ParticipantChanged,
    ParticipantErased,
    ParticipantKey,
    PartnerChanged,
    Tombstone,
)

PAYLOAD_TYPES: dict[str, type[BaseModel]] = {
    PARTICIPANT_REGISTERED: ParticipantChanged,
    PARTICIPANT_UPDATED: ParticipantChanged,
    PARTICIPANT_ERASED: ParticipantErased,
    PARTICIPANT_KEY: ParticipantKey,
    TOMBSTONE: Tombstone,
    EVENT_SCHEDULED: EventChanged,
    EVENT_UPDATED: EventChanged,
    EVENT_CANCELLED: EventChanged,
    ATTENDANCE_RECORDED: AttendanceRecorded,
    ATTENDANCE_RELEASED: AttendanceReleased,
    PARTNER_REGISTERED: PartnerChanged,
    PARTNER_RENAMED: PartnerChanged,
    COUNTERS_SNAPSHOT: CountersSnapshot,
    PARTITION_PARTIAL: PartitionPartial,
}


def types_of(model: type[BaseModel]) -> tuple[str, ...]:
    """Every type whose payload is `model`, in registry order."""
    return tuple(type_ for type_, registered in PAYLOAD_TYPES.items() if registered is model)
