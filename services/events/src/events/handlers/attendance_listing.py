"""Reading back attendance: what a partner recorded at its events, and what still waits (pending)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from events.context import EventsContext
from events.domain.attendance import Outcome
from events.handlers.access import batch_partner
from shared import cursors
from shared.contracts.identity import Principal
from shared.http.problems import ProblemError
from shared.mongo.client import Document


async def list_attendance(
    *,
    ctx: EventsContext,
    caller: Principal,
    event_id: str | None,
    status: Outcome | None,
    checked_in_from: datetime | None,
    checked_in_before: datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """A page of the attendance at the caller's events (every event's for an admin), in id order."""
    partner_id = batch_partner(caller)
    try:
        after = str(cursors.decode_cursor(cursor, str)[0]) if cursor else None
    except cursors.BadCursor as exc:
        raise ProblemError(400, "Bad cursor", str(exc), type_="bad-cursor") from exc
    query: dict[str, Any] = {"programme_id": ctx.settings.programme_id}
    if partner_id is not None:
        query["partner_id"] = partner_id
    if event_id is not None:  # ids are `<event id>:<participant id>`: one event's are one _id range
        query["_id"] = {"$gte": f"{event_id}:", "$lt": f"{event_id};"}
    if status is not None:
        query["status"] = status.value
    window = {
        op: moment
        for op, moment in (("$gte", checked_in_from), ("$lt", checked_in_before))
        if moment is not None
    }
    if window:
        query["checked_in_at"] = window
    docs = await ctx.repo.list_attendance(query, after, limit + 1)
    if len(docs) <= limit:
        return docs, None
    return docs[:limit], cursors.encode_cursor(docs[limit - 1]["_id"])
