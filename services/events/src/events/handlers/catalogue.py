"""Scheduling, changing, reading and listing programme events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from events.context import EventsContext
from events.domain.catalogue import CANCELLED, SCHEDULED, apply_changes, decode_cursor, encode_cursor
from events.domain.rules import RuleBroken, to_millis
from events.handlers.access import ensure_can_change, ensure_can_list, ensure_can_read, owner_of_new_event
from events.messages import changed_entry
from events.routes.schemas import EventCreate, EventUpdate
from shared.contracts.identity import Principal
from shared.contracts.payloads import EVENT_CANCELLED, EVENT_SCHEDULED, EVENT_UPDATED
from shared.contracts.vocabulary import EventKind, Nation
from shared.http.idempotency import derived_id
from shared.http.problems import ProblemError
from shared.mongo.client import Document
from shared.mongo.outbox import new_document_outbox


def _not_found() -> ProblemError:
    return ProblemError(404, "Event not found", "No event has this id.", type_="event-not-found")


async def schedule_event(
    *, ctx: EventsContext, caller: Principal, body: EventCreate, idempotency_key: str | None = None
) -> Document:
    """A new event; a retry with the same Idempotency-Key finds the one its first run created."""
    owner = owner_of_new_event(caller, body.partner_id)
    now = to_millis(datetime.now(UTC))
    event: Document = {
        "_id": str(derived_id(caller, idempotency_key, body) or uuid.uuid4()),
        "programme_id": ctx.settings.programme_id,
        "partner_id": owner,
        **body.model_dump(mode="python", exclude={"partner_id"}),
        "status": SCHEDULED,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    try:
        await ctx.repo.insert_event(
            {**event, **new_document_outbox([changed_entry(ctx.settings, event, EVENT_SCHEDULED)])}
        )
    except DuplicateKeyError:
        first = await ctx.repo.get_event(event["_id"])
        if idempotency_key is None or first is None:
            raise
        return first
    ctx.relay.wake(ctx.repo.events)
    return event


async def read_event(*, ctx: EventsContext, caller: Principal, event_id: str) -> Document:
    ensure_can_read(caller, event_id)
    event = await ctx.repo.get_event(event_id)
    if event is None:
        raise _not_found()
    return event


async def change_event(
    *, ctx: EventsContext, caller: Principal, event_id: str, body: EventUpdate
) -> Document:
    event = await ctx.repo.get_event(event_id)
    if event is None:
        raise _not_found()
    ensure_can_change(caller, event)
    try:
        changed = apply_changes(event, body.model_dump(mode="python", exclude_unset=True))
    except RuleBroken as exc:
        status = 409 if event["status"] == CANCELLED else 422
        raise ProblemError(status, "Change refused", str(exc), type_="event-change-refused") from exc
    if not changed:
        return event
    changed["updated_at"] = to_millis(datetime.now(UTC))
    after = {**event, **changed, "version": event["version"] + 1}
    type_ = EVENT_CANCELLED if changed.get("status") == CANCELLED else EVENT_UPDATED
    if not await ctx.repo.update_event(
        event_id, event["version"], changed, [changed_entry(ctx.settings, after, type_)]
    ):
        raise ProblemError(
            409, "Concurrent change", "The event changed meanwhile; read it and try again.", type_="conflict"
        )
    ctx.relay.wake(ctx.repo.events)
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
) -> tuple[list[Document], str | None]:
    """A page of the programme's events by start time, and the cursor of the next page if there is one."""
    ensure_can_list(caller)
    try:
        after = decode_cursor(cursor) if cursor else None
    except RuleBroken as exc:
        raise ProblemError(400, "Bad cursor", str(exc), type_="bad-cursor") from exc
    query: dict[str, Any] = {"programme_id": ctx.settings.programme_id}
    for name, value in (("kind", kind), ("partner_id", partner_id), ("nation", nation)):
        if value is not None:
            query[name] = str(value)
    window = {
        op: moment for op, moment in (("$gte", starts_from), ("$lt", starts_before)) if moment is not None
    }
    if window:
        query["starts_at"] = window
    docs = await ctx.repo.list_events(query, after, limit + 1)
    if len(docs) <= limit:
        return docs, None
    last = docs[limit - 1]
    return docs[:limit], encode_cursor(last["starts_at"], last["_id"])
