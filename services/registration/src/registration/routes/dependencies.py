"""Dependencies of the HTTP layer: the handlers' context, the calling partner and paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from registration.context import RegistrationContext
from shared.contracts.identity import Scope
from shared.cursors import CURSOR_PATTERN, BadCursor, decode_cursor, encode_cursor
from shared.http.identity import CallerDep, require_scope
from shared.http.problems import ProblemError


async def get_context(request: Request) -> RegistrationContext:
    context: RegistrationContext = request.app.state.context
    return context


async def calling_partner(caller: CallerDep) -> str:
    """The partner on whose behalf a partner key writes."""
    require_scope(caller, Scope.PARTNER)
    if not caller.partner_id:
        raise ProblemError(403, "Forbidden", "This partner key names no partner.")
    return caller.partner_id


ContextDep = Annotated[RegistrationContext, Depends(get_context)]
PartnerIdDep = Annotated[str, Depends(calling_partner)]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="page size")]
CursorQuery = Annotated[
    str | None, Query(pattern=CURSOR_PATTERN, description="the previous page's next_cursor, unchanged")
]


async def after_cursor(cursor: CursorQuery = None) -> str | None:
    """The id the page starts after, from the opaque cursor the previous page gave (400 if not ours)."""
    if cursor is None:
        return None
    try:
        return str(decode_cursor(cursor, str)[0])
    except BadCursor as exc:
        raise ProblemError(400, "Bad cursor", str(exc), type_="bad-cursor") from exc


AfterCursorDep = Annotated[str | None, Depends(after_cursor)]


def next_cursor(items: list[str], limit: int) -> str | None:
    """The cursor of the next page: after the last id served, if the page was full."""
    return encode_cursor(items[-1]) if items and len(items) == limit else None
