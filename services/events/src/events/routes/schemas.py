"""Request and response models of the HTTP API (field names of docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from events.domain.attendance import Attendance, Checkin, Outcome, Record, Result
from events.domain.errors import RuleBroken
from events.domain.events import Event, EventDetails
from events.domain.rules import check_event_window, check_year
from events.routes.problems import record_problem
from shared.clock import to_millis
from shared.contracts.vocabulary import AttendanceStatus, EventKind, EventStatus, Nation

# No ':' in ids: attendance ids join an event id and a participant id with one.
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Moment = Annotated[AwareDatetime, AfterValidator(check_year), AfterValidator(to_millis)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Region = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Venue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Capacity = Annotated[int, Field(ge=1, le=100_000)]


def _fields_of(record: Event | Attendance) -> dict[str, Any]:
    """A record's fields, one level deep (they are all flat): `asdict` deep-copies, 22 µs an attendance."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Examples in the OpenAPI document (docs/api.md): what a partner sends and gets back.
EVENT_ID = "4c1f0b8e-9f3b-4a39-9d7e-2a8d2f0f6c11"
PARTNER_ID = "prt_0b6f9c2a8e7d4f1c9a3b5d7e1f2a4c6b"
PARTICIPANT_ID = "par_7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90"
CHECKIN_ID = "0f8a3c52-6b1e-4c7d-9e2f-5a4b3c2d1e0f"
_EVENT_CREATE = {
    "title": "Resilience training: Cardiff",
    "kind": "training",
    "starts_at": "2026-06-01T09:00:00Z",
    "ends_at": "2026-06-01T17:00:00Z",
    "nation": "wales",
    "region": "South Wales",
    "venue": "Cardiff University, Glamorgan Building",
    "capacity": 40,
}
_EVENT_READ = {
    "id": EVENT_ID,
    "programme_id": "resilience",
    "partner_id": PARTNER_ID,
    **_EVENT_CREATE,
    "status": "scheduled",
    "version": 1,
    "created_at": "2026-05-02T10:15:00Z",
    "updated_at": "2026-05-02T10:15:00Z",
}
_ATTENDANCE_READ = {
    "id": f"{EVENT_ID}:{PARTICIPANT_ID}",
    "event_id": EVENT_ID,
    "participant_id": PARTICIPANT_ID,
    "checkin_id": CHECKIN_ID,
    "checked_in_at": "2026-06-01T09:12:00Z",
    "status": "recorded",
}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class EventCreate(Strict):
    model_config = ConfigDict(extra="forbid", **_examples(_EVENT_CREATE))

    title: Title
    kind: EventKind
    starts_at: Moment
    ends_at: Moment
    nation: Nation
    region: Region | None = None
    venue: Venue | None = None
    capacity: Capacity | None = None
    partner_id: EntityId | None = Field(
        default=None, description="the owner; required of an admin, implied by a partner key"
    )

    @model_validator(mode="after")
    def _window(self) -> EventCreate:
        check_event_window(self.starts_at, self.ends_at)
        return self

    def details(self) -> EventDetails:
        return EventDetails(**self.model_dump(mode="python", exclude={"partner_id"}))


class EventUpdate(Strict):
    """The fields to change; `"status": "cancelled"` cancels the event (for good)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"minProperties": 1, "examples": [{"venue": "Main Hall", "capacity": 60}]},
    )

    # Null clears region, venue or capacity; the others cannot be cleared, so their schema has no null.
    title: Title | SkipJsonSchema[None] = None
    kind: EventKind | SkipJsonSchema[None] = None
    starts_at: Moment | SkipJsonSchema[None] = None
    ends_at: Moment | SkipJsonSchema[None] = None
    nation: Nation | SkipJsonSchema[None] = None
    region: Region | None = None
    venue: Venue | None = None
    capacity: Capacity | None = None
    status: Literal[EventStatus.CANCELLED] | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _not_empty(self) -> EventUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        cleared = [
            name for name in _REQUIRED_EVENT_FIELDS & self.model_fields_set if getattr(self, name) is None
        ]
        if cleared:
            raise ValueError(f"{', '.join(sorted(cleared))} cannot be null")
        return self


# Only region, venue and capacity may be cleared with null.
_REQUIRED_EVENT_FIELDS = frozenset({"title", "kind", "starts_at", "ends_at", "nation", "status"})


class EventRead(BaseModel):
    model_config = _examples(_EVENT_READ)

    id: str
    programme_id: str
    partner_id: str
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    nation: Nation
    region: str | None
    venue: str | None
    capacity: int | None
    status: EventStatus
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, event: Event) -> EventRead:
        return cls.model_validate(_fields_of(event))


class EventPage(BaseModel):
    model_config = _examples({"items": [_EVENT_READ], "next_cursor": None})

    items: list[EventRead]
    next_cursor: str | None = Field(description="pass it as `cursor` for the next page; null on the last")


class CheckinCreate(Strict):
    """Name the participant by `participant_id` or by the `qr_token` their QR code holds (exactly one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": PARTICIPANT_ID,
                    "checkin_id": CHECKIN_ID,
                    "checked_in_at": "2026-06-01T09:12:00Z",
                }
            ],
            "oneOf": [
                {"required": [name], "properties": {name: {"type": "string"}}}
                for name in ("participant_id", "qr_token")
            ],
        },
    )

    participant_id: EntityId | None = None
    qr_token: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    checkin_id: UUID | None = None
    checked_in_at: Moment | None = None

    @model_validator(mode="after")
    def _one_way_to_name_the_participant(self) -> CheckinCreate:
        if (self.participant_id is None) == (self.qr_token is None):
            raise ValueError("give exactly one of participant_id and qr_token")
        return self

    def checkin(self) -> Checkin:
        checkin_id = str(self.checkin_id) if self.checkin_id else None
        return Checkin(self.participant_id, self.qr_token, checkin_id, self.checked_in_at)


class AttendanceRead(BaseModel):
    model_config = _examples(_ATTENDANCE_READ)

    id: str
    event_id: str
    participant_id: str
    checkin_id: str
    checked_in_at: datetime
    status: Literal[Outcome.RECORDED, Outcome.PENDING]

    @classmethod
    def of(cls, attendance: Attendance) -> AttendanceRead:
        return cls.model_validate(_fields_of(attendance))


class PendingReason(BaseModel):
    """Why a pending attendance is not counted yet."""

    reason: Literal["participant-unknown"] = Field(
        description="the participant's registration has not reached the events service yet"
    )
    detail: str


PARTICIPANT_UNKNOWN = PendingReason(
    reason="participant-unknown",
    detail="The participant is not yet known to the events service: it counts as soon as their "
    "registration arrives (registration and attendance may arrive in any order).",
)


class AttendanceListed(BaseModel):
    """One attendance as the events service holds it; `pending` ones say why they wait."""

    id: str
    event_id: str
    participant_id: str
    partner_id: str = Field(description="the partner that owns the event")
    checkin_id: str
    checked_in_at: datetime
    recorded_at: datetime | None = Field(description="when the events service stored it")
    status: Literal[Outcome.RECORDED, Outcome.PENDING]
    waiting: PendingReason | None = Field(description="why it waits; null once recorded")

    @classmethod
    def of(cls, attendance: Attendance) -> AttendanceListed:
        pending = attendance.status is AttendanceStatus.PENDING
        return cls.model_validate(
            {**_fields_of(attendance), "waiting": PARTICIPANT_UNKNOWN if pending else None}
        )


class AttendancePage(BaseModel):
    model_config = _examples(
        {
            "items": [
                {
                    **_ATTENDANCE_READ,
                    "partner_id": PARTNER_ID,
                    "recorded_at": "2026-06-01T09:12:01Z",
                    "waiting": None,
                },
                {
                    **_ATTENDANCE_READ,
                    "id": f"{EVENT_ID}:par_1b3d5f7a9c1e3a5c7e9a1b3c5d7e9f01",
                    "participant_id": "par_1b3d5f7a9c1e3a5c7e9a1b3c5d7e9f01",
                    "checkin_id": "6d1c2b3a-4f5e-4d7c-8b9a-0e1f2a3b4c5d",
                    "partner_id": PARTNER_ID,
                    "recorded_at": "2026-06-01T09:14:03Z",
                    "status": "pending",
                    "waiting": PARTICIPANT_UNKNOWN.model_dump(),
                },
            ],
            "next_cursor": None,
        }
    )

    items: list[AttendanceListed]
    next_cursor: str | None = Field(description="pass it as `cursor` for the next page; null on the last")


class CheckinCount(BaseModel):
    model_config = _examples({"event_id": EVENT_ID, "checked_in": 37})

    event_id: str
    checked_in: int = Field(description="attendance records of this event, from every device and upload")


class BatchRecord(Strict):
    event_id: EntityId
    participant_id: EntityId
    checkin_id: UUID | None = None
    checked_in_at: Moment

    @classmethod
    def record_of(cls, raw: Any) -> Record | RuleBroken:
        """The record, or why it cannot be read (where and why, without echoing the input back)."""
        try:
            record = cls.model_validate(raw)
        except ValidationError as exc:
            return RuleBroken(
                "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}"
                    for err in exc.errors()[:5]
                )
            )
        checkin_id = str(record.checkin_id) if record.checkin_id else None
        return Record(record.event_id, record.participant_id, checkin_id, record.checked_in_at)


class BatchCreate(Strict):
    """Up to 10,000 attendance records; each is answered on its own, in order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "event_id": EVENT_ID,
                            "participant_id": PARTICIPANT_ID,
                            "checkin_id": CHECKIN_ID,
                            "checked_in_at": "2026-06-01T09:12:00Z",
                        }
                    ]
                }
            ]
        },
    )

    # Records are validated one by one so that one bad record never sinks the rest.
    records: Annotated[
        list[Any],
        Field(
            min_length=1,
            description="each `{event_id, participant_id, checkin_id?, checked_in_at}`; an invalid one gets "
            "its own error in the results",
        ),
    ]


class BatchResult(BaseModel):
    index: int
    status: Outcome
    id: str | None = None
    error: dict[str, Any] | None = None


class BatchRead(BaseModel):
    model_config = _examples(
        {
            "results": [
                {"index": 0, "status": "recorded", "id": f"{EVENT_ID}:{PARTICIPANT_ID}"},
                {
                    "index": 1,
                    "status": "error",
                    "error": {
                        "status": 404,
                        "type": "/problems/event-not-found",
                        "title": "Event not found",
                        "detail": "No event has this event_id.",
                    },
                },
            ]
        }
    )

    results: list[BatchResult]

    @classmethod
    def of(cls, results: Sequence[Result]) -> BatchRead:
        return cls(
            results=[
                BatchResult(
                    index=index,
                    status=result.outcome,
                    id=result.attendance_id,
                    error=record_problem(result.error) if result.error else None,
                )
                for index, result in enumerate(results)
            ]
        )
