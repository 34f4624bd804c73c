"""Organisations: named by partners, visible to every authenticated caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from registration.handlers import directory as directory_handlers
from registration.routes.dependencies import AfterCursorDep, ContextDep, LimitQuery, next_cursor
from registration.routes.schemas import OrganisationIn, OrganisationPage, OrganisationRead
from shared.contracts.identity import Scope
from shared.contracts.vocabulary import OrganisationKind
from shared.http.identity import CallerDep, require_scope
from shared.http.responses import problems

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "already named: the existing organisation", "model": OrganisationRead},
        **problems(403),
    },
)
async def name_organisation(
    body: OrganisationIn, caller: CallerDep, ctx: ContextDep, response: Response
) -> OrganisationRead:
    """Name an organisation participants come from: 201 when new, 200 with the one already named.

    Names meet case- and space-insensitively, so every partner gets the same organisation for a name and kind.
    """
    require_scope(caller, Scope.PARTNER, Scope.ADMIN)
    organisation, created = await directory_handlers.name_organisation(
        ctx, body.name, body.kind, caller.partner_id
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return OrganisationRead.of(organisation)


@router.get("", responses=problems(400, 403))
async def list_organisations(
    caller: CallerDep,
    ctx: ContextDep,
    after: AfterCursorDep,
    kind: Annotated[OrganisationKind | None, Query(examples=["employer"])] = None,
    name: Annotated[
        str | None, Query(min_length=1, max_length=200, description="name prefix", examples=["Severn"])
    ] = None,
    limit: LimitQuery = 100,
) -> OrganisationPage:
    """List the organisations named so far, by kind or name prefix; `next_cursor` continues the listing."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER, Scope.CHECKIN)
    found = await ctx.organisations.page(kind=kind, name_prefix=name, after=after, limit=limit)
    return OrganisationPage(
        items=[OrganisationRead.of(o) for o in found], next_cursor=next_cursor([o.id for o in found], limit)
    )
