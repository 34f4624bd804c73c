"""Attendance: door check-ins at one event and bulk uploads of a programme's history."""

from __future__ import annotations

from fastapi import APIRouter, Response

from events.handlers import attendance
from events.routes.dependencies import ContextDep
from events.routes.events import EventIdPath
from events.routes.schemas import (
    AttendanceRead,
    BatchCreate,
    BatchRead,
    BatchRecord,
    CheckinCount,
    CheckinCreate,
)
from shared.http.identity import CallerDep

router = APIRouter(prefix="/v1", tags=["attendance"])


@router.post(
    "/events/{event_id}/checkins",
    status_code=201,
    responses={200: {"description": "already checked in: the first check-in", "model": AttendanceRead}},
)
async def check_in(
    event_id: EventIdPath, body: CheckinCreate, caller: CallerDep, ctx: ContextDep, response: Response
) -> AttendanceRead:
    recorded, created = await attendance.record_checkin(
        ctx=ctx, caller=caller, event_id=event_id, checkin=body.checkin()
    )
    if not created:
        response.status_code = 200
    return AttendanceRead.of(recorded)


@router.get("/events/{event_id}/checkins/count")
async def count_checkins(event_id: EventIdPath, caller: CallerDep, ctx: ContextDep) -> CheckinCount:
    """How many are checked in at this event; a check-in key may read it for its own event."""
    checked_in = await attendance.count_checkins(ctx=ctx, caller=caller, event_id=event_id)
    return CheckinCount(event_id=event_id, checked_in=checked_in)


@router.post("/attendance:batch", response_model_exclude_none=True)
async def attendance_batch(body: BatchCreate, caller: CallerDep, ctx: ContextDep) -> BatchRead:
    records = [BatchRecord.record_of(raw) for raw in body.records]
    return BatchRead.of(await attendance.record_batch(ctx=ctx, caller=caller, records=records))
