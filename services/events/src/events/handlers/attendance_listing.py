"""Reading back attendance: what a partner recorded at its events, and what still waits (pending)."""

from __future__ import annotations

from dataclasses import replace

from events.context import EventsContext
from events.domain.access import batch_partner
from events.domain.attendance import Attendance, AttendanceQuery
from events.domain.catalogue import decoded
from shared import cursors
from shared.contracts.identity import Principal


async def list_attendance(
    *, ctx: EventsContext, caller: Principal, query: AttendanceQuery, cursor: str | None, limit: int
) -> tuple[list[Attendance], str | None]:
    """A page of the attendance at the caller's events (every event's for an admin), in id order."""
    after = str(decoded(cursor, str)[0]) if cursor else None
    query = replace(query, partner_id=batch_partner(caller), after=after)
    found = await ctx.attendance.page(query, limit + 1)
    if len(found) <= limit:
        return found, None
    return found[:limit], cursors.encode_cursor(found[limit - 1].id)
