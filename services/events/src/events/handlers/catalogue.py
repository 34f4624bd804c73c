"""Scheduling, changing, reading and listing programme events."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from events.context import EventsContext
from events.domain.access import ensure_can_change, ensure_can_list, ensure_can_read, owner_of_new_event
from events.domain.catalogue import EventQuery, decode_cursor, encode_cursor
from events.domain.errors import ConcurrentChange, EventNotFound
from events.domain.events import Event, EventDetails, change, schedule
from shared.contracts.identity import Principal
from shared.contracts.payloads import EVENT_CANCELLED, EVENT_SCHEDULED, EVENT_UPDATED
from shared.contracts.vocabulary import EventKind, Nation


async def schedule_event(
    *,
    ctx: EventsContext,
    caller: Principal,
    partner_id: str | None,
    details: EventDetails,
    derived: uuid.UUID | None = None,
) -> Event:
    """A new event. Created under an Idempotency-Key (`derived`), a retry finds the event its first run
    created instead of scheduling a second."""
    event_id = str(derived) if derived else ctx.new_id()
    if derived and (first := await ctx.events.get(event_id)) is not None:
        return first
    event = schedule(
        event_id=event_id,
        programme_id=ctx.settings.programme_id,
        partner_id=owner_of_new_event(caller, partner_id),
        details=details,
        now=ctx.clock(),
    )
    await ctx.events.insert(event, ctx.messages.changed(event, EVENT_SCHEDULED))
    return event


async def read_event(*, ctx: EventsContext, caller: Principal, event_id: str) -> Event:
    ensure_can_read(caller, event_id)
    return await existing_event(ctx, event_id)


async def change_event(
    *, ctx: EventsContext, caller: Principal, event_id: str, changes: Mapping[str, Any]
) -> Event:
    """The event after the changes (as it was when they change nothing); cancelling is a change of status."""
    event = await existing_event(ctx, event_id)
    ensure_can_change(caller, event)
    after = change(event, changes, ctx.clock())
    if after is None:
        return event
    message = ctx.messages.changed(after, EVENT_CANCELLED if after.cancelled else EVENT_UPDATED)
    if not await ctx.events.update(event, after, message):
        raise ConcurrentChange()
    return after


async def list_events(
    *,
    ctx: EventsContext,
    caller: Principal,
    kind: EventKind | None,
    partner_id: str | None,
    nation: Nation | None,
    starts_from: datetime | None,
    starts_before: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Event], str | None]:
    """A page of the programme's events by start time, and the cursor of the next page if there is one."""
    ensure_can_list(caller)
    query = EventQuery(
        programme_id=ctx.settings.programme_id,
        kind=kind,
        partner_id=partner_id,
        nation=nation,
        starts_from=starts_from,
        starts_before=starts_before,
        after=decode_cursor(cursor) if cursor else None,
    )
    events = await ctx.events.page(query, limit + 1)
    if len(events) <= limit:
        return events, None
    last = events[limit - 1]
    return events[:limit], encode_cursor(last.starts_at, last.id)


async def existing_event(ctx: EventsContext, event_id: str) -> Event:
    event = await ctx.events.get(event_id)
    if event is None:
        raise EventNotFound()
    return event
