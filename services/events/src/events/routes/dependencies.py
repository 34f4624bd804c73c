"""FastAPI dependencies of the events service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from events.context import EventsContext
from shared.cursors import CURSOR_PATTERN


async def get_context(request: Request) -> EventsContext:
    context: EventsContext = request.app.state.context
    return context


ContextDep = Annotated[EventsContext, Depends(get_context)]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="page size")]
CursorQuery = Annotated[
    str | None, Query(pattern=CURSOR_PATTERN, description="the previous page's next_cursor, unchanged")
]
