"""Dependencies of the HTTP layer: the handlers' context, the calling partner and paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from registration.context import RegistrationContext
from shared.contracts.identity import Scope
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
    str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="next_cursor of the previous page")
]
