"""Programme events: schedule, list, read and change them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from events.handlers import catalogue
from events.routes.dependencies import ContextDep, CursorQuery, LimitQuery
from events.routes.schemas import (
    EVENT_ID,
    ID_PATTERN,
    EventCreate,
    EventPage,
    EventRead,
    EventUpdate,
)
from shared.contracts.vocabulary import EventKind, Nation
from shared.http.idempotency import IdempotencyKeyDep, derived_id
from shared.http.identity import CallerDep
from shared.http.moments import Moment
from shared.http.responses import problems

router = APIRouter(prefix="/v1", tags=["events"])

EventIdPath = Annotated[
    str, Path(min_length=1, max_length=64, description="the event's id", examples=[EVENT_ID])
]
_EVENT = {"event_id": "$response.body#/id"}
# Where a new event leads (OpenAPI links): reading, changing and checking people in to it.
_EVENT_LINKS = {
    "getEvent": {"operationId": "getEvent", "parameters": _EVENT},
    "updateEvent": {"operationId": "updateEvent", "parameters": _EVENT},
    "checkIn": {"operationId": "checkIn", "parameters": _EVENT},
    "countCheckins": {"operationId": "countCheckins", "parameters": _EVENT},
    "listAttendance": {
        "operationId": "listAttendance",
        "parameters": {"query.event_id": "$response.body#/id"},
    },
}


@router.post(
    "/events",
    status_code=201,
    responses={
        201: {"links": _EVENT_LINKS},
        **problems(403, 422, s422="Invalid, or starts_at not before ends_at."),
    },
)
async def create_event(
    body: EventCreate, caller: CallerDep, ctx: ContextDep, idempotency_key: IdempotencyKeyDep
) -> EventRead:
    """Schedule an event; a partner key schedules it for its own partner, an admin names the partner."""
    event = await catalogue.schedule_event(
        ctx=ctx,
        caller=caller,
        partner_id=body.partner_id,
        details=body.details(),
        derived=derived_id(caller, idempotency_key, body),
    )
    return EventRead.of(event)


@router.get("/events", responses=problems(400, 403))
async def list_events(
    caller: CallerDep,
    ctx: ContextDep,
    kind: Annotated[EventKind | None, Query(examples=["training"])] = None,
    partner_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="one partner's events")] = None,
    nation: Annotated[Nation | None, Query(examples=["wales"])] = None,
    starts_from: Annotated[
        Moment | None,
        Query(alias="from", description="starts at or after", examples=["2026-01-01T00:00:00Z"]),
    ] = None,
    starts_before: Annotated[
        Moment | None,
        Query(alias="to", description="starts before", examples=["2027-01-01T00:00:00Z"]),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> EventPage:
    """List the programme's events by start time; partners see every partner's events.

    Filter by kind, partner, nation and start time; `next_cursor` continues the listing.
    """
    events, next_cursor = await catalogue.list_events(
        ctx=ctx,
        caller=caller,
        kind=kind,
        partner_id=partner_id,
        nation=nation,
        starts_from=starts_from,
        starts_before=starts_before,
        cursor=cursor,
        limit=limit,
    )
    return EventPage(items=[EventRead.of(event) for event in events], next_cursor=next_cursor)


@router.get("/events/{event_id}", responses=problems(403, 404))
async def get_event(event_id: EventIdPath, caller: CallerDep, ctx: ContextDep) -> EventRead:
    """Read one event; a check-in key reads its own event only."""
    return EventRead.of(await catalogue.read_event(ctx=ctx, caller=caller, event_id=event_id))


@router.patch(
    "/events/{event_id}",
    responses=problems(
        403,
        404,
        409,
        422,
        s409="The event is cancelled, or changed meanwhile: read it again.",
        s422="Invalid, or starts_at not before ends_at.",
    ),
)
async def update_event(
    event_id: EventIdPath, body: EventUpdate, caller: CallerDep, ctx: ContextDep
) -> EventRead:
    """Change an event, or cancel it with `"status": "cancelled"` (its owner or an admin)."""
    changes = body.model_dump(mode="python", exclude_unset=True)
    return EventRead.of(
        await catalogue.change_event(ctx=ctx, caller=caller, event_id=event_id, changes=changes)
    )
