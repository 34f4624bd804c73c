"""Attendance claims and the per-record planning of a batch, free of any storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from events.domain.rules import attendance_id


class Outcome(StrEnum):
    RECORDED = "recorded"
    PENDING = "pending"
    DUPLICATE = "duplicate"
    ERROR = "error"


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
class RecordError:
    """Why one record was refused, shaped like a problem document."""

    status: int
    type: str
    title: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "type": f"/problems/{self.type}",
            "title": self.title,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class EventRef:
    """What attendance needs to know about an event."""

    event_id: str
    partner_id: str
    cancelled: bool


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    attendance_id: str | None = None
    error: RecordError | None = None


EVENT_NOT_FOUND = RecordError(404, "event-not-found", "Event not found", "No event has this event_id.")
NOT_YOUR_EVENT = RecordError(
    403, "not-your-event", "Forbidden", "A partner records attendance at its own events only."
)
EVENT_CANCELLED = RecordError(
    409, "event-cancelled", "Event cancelled", "A cancelled event takes no attendance."
)
PARTICIPANT_ERASED = RecordError(
    410,
    "participant-erased",
    "Participant erased",
    "This participant's personal data was erased; no attendance is recorded for them.",
)
CHECKIN_ID_CONFLICT = RecordError(
    409, "checkin-id-conflict", "Check-in id reused", "This checkin_id already records another attendance."
)


def refusal(event: EventRef | None, partner_id: str | None) -> RecordError | None:
    """Why attendance at this event is refused to this caller (partner_id None: an admin), if it is."""
    if event is None:
        return EVENT_NOT_FOUND
    if partner_id is not None and event.partner_id != partner_id:
        return NOT_YOUR_EVENT
    if event.cancelled:
        return EVENT_CANCELLED
    return None


@dataclass
class BatchPlan:
    """Each record's result (None while it waits to be inserted) and the claims to insert."""

    results: list[Result | None]
    to_insert: list[tuple[int, Claim, Outcome]]


def plan_batch(
    items: Sequence[Claim | RecordError],
    *,
    events: Mapping[str, EventRef],
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
        if isinstance(item, RecordError):
            plan.results.append(Result(Outcome.ERROR, error=item))
            continue
        aid = item.attendance_id
        error = refusal(events.get(item.event_id), partner_id)
        if error is None and item.participant_id in erased_participants:
            error = PARTICIPANT_ERASED
        if error is None and owners.get(item.checkin_id, aid) != aid:
            error = CHECKIN_ID_CONFLICT
        if error is not None:
            plan.results.append(Result(Outcome.ERROR, error=error))
        elif aid in seen:
            plan.results.append(Result(Outcome.DUPLICATE, aid))
        else:
            seen.add(aid)
            owners[item.checkin_id] = aid
            known = item.participant_id in known_participants
            plan.to_insert.append((index, item, Outcome.RECORDED if known else Outcome.PENDING))
            plan.results.append(None)
    return plan
