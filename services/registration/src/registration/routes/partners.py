"""Partners: created, renamed and listed by admins; a partner may read itself."""

from __future__ import annotations

from fastapi import APIRouter, status

from registration.handlers import directory as directory_handlers
from registration.routes.dependencies import ContextDep
from registration.routes.schemas import PartnerIn, PartnerRead, PartnerRename
from shared.contracts.identity import Scope
from shared.http.identity import CallerDep, require_scope

router = APIRouter(prefix="/v1/partners", tags=["partners"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_partner(body: PartnerIn, caller: CallerDep, ctx: ContextDep) -> PartnerRead:
    require_scope(caller, Scope.ADMIN)
    return PartnerRead.of(await directory_handlers.create_partner(ctx, body.name, body.programme_id))


@router.get("")
async def list_partners(caller: CallerDep, ctx: ContextDep) -> list[PartnerRead]:
    require_scope(caller, Scope.ADMIN)
    return [PartnerRead.of(p) for p in await ctx.partners.all()]


@router.get("/{partner_id}")
async def get_partner(partner_id: str, caller: CallerDep, ctx: ContextDep) -> PartnerRead:
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return PartnerRead.of(await directory_handlers.get_partner(ctx, partner_id, caller))


@router.patch("/{partner_id}")
async def rename_partner(
    partner_id: str, body: PartnerRename, caller: CallerDep, ctx: ContextDep
) -> PartnerRead:
    """Rename a partner (admin only); its new name is published on `pulse.partners`."""
    require_scope(caller, Scope.ADMIN)
    return PartnerRead.of(await directory_handlers.rename_partner(ctx, partner_id, body.name))
