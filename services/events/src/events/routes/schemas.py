"""Request and response models of the HTTP API (field names of docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    model_validator,
)

from events.domain.attendance import Outcome, Result
from events.domain.rules import check_event_window, check_year, to_millis
from shared.contracts.vocabulary import EventKind, EventStatus, Nation

# No ':' in ids: attendance ids join an event id and a participant id with one.
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Moment = Annotated[AwareDatetime, AfterValidator(check_year), AfterValidator(to_millis)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Region = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Venue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Capacity = Annotated[int, Field(ge=1, le=100_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventCreate(Strict):
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


class EventUpdate(Strict):
    title: Title | None = None
    kind: EventKind | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    nation: Nation | None = None
    region: Region | None = None
    venue: Venue | None = None
    capacity: Capacity | None = None
    status: Literal[EventStatus.CANCELLED] | None = None

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
    def of(cls, doc: Mapping[str, Any]) -> EventRead:
        return cls.model_validate({**doc, "id": doc["_id"]})


class EventPage(BaseModel):
    items: list[EventRead]
    next_cursor: str | None


class CheckinCreate(Strict):
    participant_id: EntityId | None = None
    qr_token: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    checkin_id: UUID | None = None
    checked_in_at: Moment | None = None

    @model_validator(mode="after")
    def _one_way_to_name_the_participant(self) -> CheckinCreate:
        if (self.participant_id is None) == (self.qr_token is None):
            raise ValueError("give exactly one of participant_id and qr_token")
        return self


class AttendanceRead(BaseModel):
    id: str
    event_id: str
    participant_id: str
    checkin_id: str
    checked_in_at: datetime
    status: Literal[Outcome.RECORDED, Outcome.PENDING]

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> AttendanceRead:
        return cls.model_validate({**doc, "id": doc["_id"]})


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
    def of(cls, doc: Mapping[str, Any]) -> AttendanceListed:
        pending = doc["status"] == Outcome.PENDING
        return cls.model_validate(
            {
                **doc,
                "id": doc["_id"],
                "recorded_at": doc.get("recorded_at"),
                "waiting": PARTICIPANT_UNKNOWN if pending else None,
            }
        )


class AttendancePage(BaseModel):
    items: list[AttendanceListed]
    next_cursor: str | None = Field(description="pass it as `cursor` for the next page; null on the last")


class CheckinCount(BaseModel):
    event_id: str
    checked_in: int = Field(description="attendance records of this event, from every device and upload")


class BatchRecord(Strict):
    event_id: EntityId
    participant_id: EntityId
    checkin_id: UUID | None = None
    checked_in_at: Moment


class BatchCreate(Strict):
    # Records are validated one by one so that one bad record never sinks the rest.
    records: Annotated[list[Any], Field(min_length=1)]


class BatchResult(BaseModel):
    index: int
    status: Outcome
    id: str | None = None
    error: dict[str, Any] | None = None


class BatchRead(BaseModel):
    results: list[BatchResult]

    @classmethod
    def of(cls, results: Sequence[Result]) -> BatchRead:
        return cls(
            results=[
                BatchResult(
                    index=index,
                    status=result.outcome,
                    id=result.attendance_id,
                    error=result.error.as_dict() if result.error else None,
                )
                for index, result in enumerate(results)
            ]
        )
