"""Attendance: the claims of check-ins and uploads, the attendance they make, and the planning of a batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from events.domain.access import may_record_at
from events.domain.errors import (
    CheckinIdConflict,
    EventCancelled,
    EventNotFound,
    EventsError,
    ParticipantErased,
)
from events.domain.events import Event
from events.domain.rules import attendance_id
from shared.contracts.vocabulary import AttendanceStatus


class Outcome(StrEnum):
    RECORDED = "recorded"
    PENDING = "pending"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass(frozen=True)
class AttendanceQuery:
    """A page of a programme's attendance in id order (event, then participant), after `after`."""

    programme_id: str
    partner_id: str | None = None  # the events' owner; None: every partner's (an admin)
    event_id: str | None = None
    status: AttendanceStatus | None = None
    checked_in_from: datetime | None = None
    checked_in_before: datetime | None = None
    after: str | None = None


@dataclass(frozen=True)
class Checkin:
    """A door's request: a participant named by id or proven by a QR token, at a time or now."""

    participant_id: str | None = None
    qr_token: str | None = None
    checkin_id: str | None = None
    checked_in_at: datetime | None = None


@dataclass(frozen=True)
class Record:
    """One record of a bulk upload, as the partner states it."""

    event_id: str
    participant_id: str
    checkin_id: str | None
    checked_in_at: datetime


@dataclass(frozen=True)
class Claim:
    """A valid request to record that a participant attended an event."""

    event_id: str
    participant_id: str
    checkin_id: str
    checked_in_at: datetime

    @property
    def attendance_id(self) -> str:
        return attendance_id(self.event_id, self.participant_id)


@dataclass(frozen=True)
class Attendance:
    """One participant at one event; `pending` while the participant is not known to this service yet.

    `batch_id` names the request that stored it, so a retried bulk insert recognises its own.
    """

    id: str
    programme_id: str
    event_id: str
    participant_id: str
    partner_id: str
    checkin_id: str
    checked_in_at: datetime
    recorded_at: datetime | None
    status: AttendanceStatus
    batch_id: str | None


@dataclass(frozen=True)
class Pending:
    """A pending attendance, as much of it as its release says."""

    id: str
    programme_id: str
    event_id: str
    participant_id: str
    partner_id: str


def attend(
    claim: Claim, *, event: Event, status: AttendanceStatus, batch_id: str, now: datetime
) -> Attendance:
    return Attendance(
        id=claim.attendance_id,
        programme_id=event.programme_id,
        event_id=claim.event_id,
        participant_id=claim.participant_id,
        partner_id=event.partner_id,
        checkin_id=claim.checkin_id,
        checked_in_at=claim.checked_in_at,
        recorded_at=now,
        status=status,
        batch_id=batch_id,
    )


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    attendance_id: str | None = None
    error: EventsError | None = None


def refusal(event: Event | None, partner_id: str | None) -> EventsError | None:
    """Why attendance at this event is refused to this caller (partner_id None: an admin), if it is."""
    if event is None:
        return EventNotFound("No event has this event_id.")
    try:
        may_record_at(event, partner_id)
    except EventsError as refused:
        return refused
    if event.cancelled:
        return EventCancelled()
    return None


@dataclass
class BatchPlan:
    """Each record's result (None while it waits to be inserted) and the claims to insert, with their status."""

    results: list[Result | None]
    to_insert: list[tuple[int, Claim, AttendanceStatus]]


def plan_batch(
    items: Sequence[Claim | EventsError],
    *,
    events: Mapping[str, Event],
    partner_id: str | None,
    stored_ids: set[str],
    stored_checkins: Mapping[str, str],
    known_participants: set[str],
    erased_participants: set[str],
) -> BatchPlan:
    """Decide every record against what is stored and what came earlier in the same batch.

    `stored_ids` are the attendance ids already stored; `stored_checkins` maps stored checkin ids to
    the attendance they record. An erased participant's records are refused, never stored.
    """
    plan = BatchPlan(results=[], to_insert=[])
    seen = set(stored_ids)
    owners = dict(stored_checkins)
    for index, item in enumerate(items):
        if isinstance(item, EventsError):
            plan.results.append(Result(Outcome.ERROR, error=item))
            continue
        aid = item.attendance_id
        error = refusal(events.get(item.event_id), partner_id)
        if error is None and item.participant_id in erased_participants:
            error = ParticipantErased()
        if error is None and owners.get(item.checkin_id, aid) != aid:
            error = CheckinIdConflict()
        if error is not None:
            plan.results.append(Result(Outcome.ERROR, error=error))
        elif aid in seen:
            plan.results.append(Result(Outcome.DUPLICATE, aid))
        else:
            seen.add(aid)
            owners[item.checkin_id] = aid
            known = item.participant_id in known_participants
            plan.to_insert.append(
                (index, item, AttendanceStatus.RECORDED if known else AttendanceStatus.PENDING)
            )
            plan.results.append(None)
    return plan
