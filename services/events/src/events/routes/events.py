"""Programme events: schedule, list, read and change them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime

from events.handlers import catalogue
from events.routes.dependencies import ContextDep, CursorQuery, LimitQuery
from events.routes.schemas import (
    ID_PATTERN,
    EventCreate,
    EventPage,
    EventRead,
    EventUpdate,
)
from shared.contracts.vocabulary import EventKind, Nation
from shared.http.idempotency import IdempotencyKeyDep
from shared.http.identity import CallerDep

router = APIRouter(prefix="/v1", tags=["events"])

EventIdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/events", status_code=201)
async def create_event(
    body: EventCreate, caller: CallerDep, ctx: ContextDep, idempotency_key: IdempotencyKeyDep
) -> EventRead:
    """Schedule an event; a partner key schedules it for its own partner, an admin names the partner."""
    event = await catalogue.schedule_event(ctx=ctx, caller=caller, body=body, idempotency_key=idempotency_key)
    return EventRead.of(event)


@router.get("/events")
async def list_events(
    caller: CallerDep,
    ctx: ContextDep,
    kind: EventKind | None = None,
    partner_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    nation: Nation | None = None,
    starts_from: Annotated[
        AwareDatetime | None, Query(alias="from", description="starts at or after")
    ] = None,
    starts_before: Annotated[AwareDatetime | None, Query(alias="to", description="starts before")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> EventPage:
    docs, next_cursor = await catalogue.list_events(
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
    return EventPage(items=[EventRead.of(doc) for doc in docs], next_cursor=next_cursor)


@router.get("/events/{event_id}")
async def get_event(event_id: EventIdPath, caller: CallerDep, ctx: ContextDep) -> EventRead:
    return EventRead.of(await catalogue.read_event(ctx=ctx, caller=caller, event_id=event_id))


@router.patch("/events/{event_id}")
async def update_event(
    event_id: EventIdPath, body: EventUpdate, caller: CallerDep, ctx: ContextDep
) -> EventRead:
    return EventRead.of(await catalogue.change_event(ctx=ctx, caller=caller, event_id=event_id, body=body))
