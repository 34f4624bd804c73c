"""Typed payloads of every event type and the type names; `shared.contracts.registry` maps one to the other.

Payloads carry pseudonymous ids and the categories metrics needs, never names or emails.
`version` grows by one with each change of the same entity, so a consumer can ignore stale facts.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import (
    AttendanceStatus,
    Ethnicity,
    EventKind,
    EventStatus,
    Gender,
    Nation,
    Role,
)


class Payload(BaseModel):
    # Tolerant reader: a newer producer may add fields that an older consumer ignores.
    model_config = ConfigDict(extra="ignore", frozen=True)


class SealedFields(Payload):
    """A participant's special-category and quasi-identifying fields, only ever published sealed
    (shared.sealing): demographics only with consent."""

    organisation_id: str | None = None
    gender: Gender | None = None
    ethnicity: Ethnicity | None = None
    nation: Nation | None = None
    region: str | None = None


class ParticipantChanged(Payload):
    """State of a participant after registration or update (`.registered.v1` / `.updated.v1`).

    `sealed` holds the participant's `SealedFields`, encrypted with their data key (published on
    `pulse.participant-keys` until erasure). Registration never sets the clear `organisation_id`, `gender`,
    `ethnicity`, `nation` and `region`: they are read only from events published before sealing existed.
    """

    participant_id: str
    programme_id: str
    partner_id: str
    version: int = Field(ge=1)
    role: Role
    sealed: str | None = Field(
        default=None, description="SealedFields, AES-256-GCM with the participant's data key (base64url)"
    )
    organisation_id: str | None = None
    gender: Gender | None = None
    ethnicity: Ethnicity | None = None
    nation: Nation | None = None
    region: str | None = None
    consent_data_processing: bool
    consent_demographics: bool


class Tombstone(Payload):
    """A keyed record without a value on a compacted topic, delivered as an event of type TOMBSTONE whose
    subject is the key (`shared.kafka.consumer.tombstone_event`)."""


class ParticipantKey(Payload):
    """A participant's data key, on the compacted `pulse.participant-keys` (`pulse.participant.key.v1`).

    Erasure publishes a tombstone (no value) under the participant's id instead, and the log cleaner then
    removes the key from the topic.
    """

    participant_id: str
    # 32 bytes in base64url are 43 characters and one "=": a key of another length is refused with the
    # message (dead-lettered by its consumer), not later by whoever opens sealed fields with it.
    key: str = Field(
        description="256-bit AES key, base64url", pattern=r"^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]=$"
    )


class ParticipantErased(Payload):
    """Personal data of a participant was erased; pseudonymous categories stay counted."""

    participant_id: str
    programme_id: str
    partner_id: str
    version: int = Field(ge=1)


class EventChanged(Payload):
    """State of a programme event after it was scheduled, updated or cancelled."""

    event_id: str
    programme_id: str
    partner_id: str
    version: int = Field(ge=1)
    kind: EventKind
    title: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    nation: Nation
    region: str | None = None
    status: EventStatus


class AttendanceRecorded(Payload):
    """One participant attended one event; `(event_id, participant_id)` is unique.

    `status` is `pending` while the participant is not yet known to events (then `.released.v1` follows);
    absent in events published before it existed.
    """

    attendance_id: str
    programme_id: str
    event_id: str
    participant_id: str
    partner_id: str
    checkin_id: str
    checked_in_at: AwareDatetime
    status: AttendanceStatus | None = None


class AttendanceReleased(Payload):
    """A pending attendance became recorded: its participant is now known (`pulse.attendance.released.v1`)."""

    attendance_id: str
    programme_id: str
    event_id: str
    participant_id: str
    partner_id: str
    released_at: AwareDatetime


class PartnerChanged(Payload):
    """A partner's public facts after registration or renaming; an organisation's name is not personal data."""

    partner_id: str
    programme_id: str
    name: str
    version: int = Field(ge=1)


PARTICIPANT_REGISTERED = "pulse.participant.registered.v1"
PARTICIPANT_UPDATED = "pulse.participant.updated.v1"
PARTICIPANT_ERASED = "pulse.participant.erased.v1"
PARTICIPANT_KEY = "pulse.participant.key.v1"
# Not published: what a consumer reads for a record without a value, a compacted topic's tombstone.
TOMBSTONE = "pulse.tombstone"  # not a type on the wire: how a consumer sees a record without a value
# The key of the tombstones registration appends to every partition of pulse.participant-keys now and then,
# so that a segment holding an erased key closes and the log cleaner removes the key; it names no one.
KEYS_ROLL_KEY = "roll"
EVENT_SCHEDULED = "pulse.event.scheduled.v1"
EVENT_UPDATED = "pulse.event.updated.v1"
EVENT_CANCELLED = "pulse.event.cancelled.v1"
ATTENDANCE_RECORDED = "pulse.attendance.recorded.v1"
ATTENDANCE_RELEASED = "pulse.attendance.released.v1"
PARTNER_REGISTERED = "pulse.partner.registered.v1"
PARTNER_RENAMED = "pulse.partner.renamed.v1"
COUNTERS_SNAPSHOT = "pulse.counters.snapshot.v1"
PARTITION_PARTIAL = "pulse.metrics.partial.v1"
