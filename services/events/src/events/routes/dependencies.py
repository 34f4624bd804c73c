"""FastAPI dependencies of the events service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from events.context import EventsContext


async def get_context(request: Request) -> EventsContext:
    context: EventsContext = request.app.state.context
    return context


ContextDep = Annotated[EventsContext, Depends(get_context)]
