"""Attendance: door check-ins at one event and bulk uploads of a programme's history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from events.domain.attendance import AttendanceQuery
from events.handlers import attendance, attendance_listing
from events.routes.dependencies import ContextDep, CursorQuery, LimitQuery
from events.routes.events import EventIdPath
from events.routes.schemas import (
    EVENT_ID,
    ID_PATTERN,
    AttendanceListed,
    AttendancePage,
    AttendanceRead,
    BatchCreate,
    BatchRead,
    BatchRecord,
    CheckinCount,
    CheckinCreate,
)
from shared.contracts.vocabulary import AttendanceStatus
from shared.http.identity import CallerDep
from shared.http.moments import Moment
from shared.http.responses import problems

router = APIRouter(prefix="/v1", tags=["attendance"])


@router.post(
    "/events/{event_id}/checkins",
    status_code=201,
    responses={
        200: {"description": "already checked in: the first check-in", "model": AttendanceRead},
        **problems(
            403,
            404,
            409,
            410,
            422,
            503,
            s409="The event is cancelled, or this checkin_id records another attendance.",
            s422="Invalid, a QR token that is not valid, or a check-in time in the future.",
            s503="QR check-in is not configured, or the database is unreachable.",
        ),
    },
)
async def check_in(
    event_id: EventIdPath, body: CheckinCreate, caller: CallerDep, ctx: ContextDep, response: Response
) -> AttendanceRead:
    """Check a participant in to an event: 201 the first time, 200 with the first check-in after.

    Name them by `participant_id` or by the signed `qr_token` of their QR code. A participant the events
    service does not know yet is recorded `pending` and counts once their registration arrives.
    """
    recorded, created = await attendance.record_checkin(
        ctx=ctx, caller=caller, event_id=event_id, checkin=body.checkin()
    )
    if not created:
        response.status_code = 200
    return AttendanceRead.of(recorded)


@router.get("/events/{event_id}/checkins/count", responses=problems(403, 404))
async def count_checkins(event_id: EventIdPath, caller: CallerDep, ctx: ContextDep) -> CheckinCount:
    """Count the check-ins at an event, from every device and upload.

    A check-in key may read it for its own event.
    """
    checked_in = await attendance.count_checkins(ctx=ctx, caller=caller, event_id=event_id)
    return CheckinCount(event_id=event_id, checked_in=checked_in)


@router.post("/attendance:batch", response_model_exclude_none=True, responses=problems(403, 413))
async def attendance_batch(body: BatchCreate, caller: CallerDep, ctx: ContextDep) -> BatchRead:
    """Record up to 10,000 attendances at the caller's events; a result per record, in request order.

    Each result is `recorded`, `pending` (the participant is not known yet), `duplicate`, or `error` with
    a problem. A retried batch is answered with the same ids: `(event_id, participant_id)` is unique.
    """
    records = [BatchRecord.record_of(raw) for raw in body.records]
    return BatchRead.of(await attendance.record_batch(ctx=ctx, caller=caller, records=records))


@router.get("/attendance", responses=problems(400, 403))
async def list_attendance(
    caller: CallerDep,
    ctx: ContextDep,
    event_id: Annotated[
        str | None, Query(pattern=ID_PATTERN, description="one event's attendance", examples=[EVENT_ID])
    ] = None,
    status: Annotated[
        Literal["recorded", "pending"] | None,
        Query(description="pending: waiting for the participant's registration", examples=["pending"]),
    ] = None,
    checked_in_from: Annotated[
        Moment | None, Query(alias="from", description="checked in at or after")
    ] = None,
    checked_in_before: Annotated[Moment | None, Query(alias="to", description="checked in before")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> AttendancePage:
    """List the attendance recorded at the caller's events, pending records saying why they wait.

    A partner sees the attendance at its own events only (whoever posted it); an admin sees all. Items
    come in id order (by event, then participant); `next_cursor` continues the listing.
    """
    query = AttendanceQuery(
        programme_id=ctx.settings.programme_id,
        event_id=event_id,
        status=AttendanceStatus(status) if status else None,
        checked_in_from=checked_in_from,
        checked_in_before=checked_in_before,
    )
    found, next_cursor = await attendance_listing.list_attendance(
        ctx=ctx, caller=caller, query=query, cursor=cursor, limit=limit
    )
    return AttendancePage(items=[AttendanceListed.of(a) for a in found], next_cursor=next_cursor)
