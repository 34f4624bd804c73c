"""Partners: created, renamed and listed by admins; a partner may read itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from registration.handlers import directory as directory_handlers
from registration.routes.dependencies import ContextDep
from registration.routes.schemas import PARTNER_ID, PartnerIn, PartnerRead, PartnerRename
from shared.contracts.identity import Scope
from shared.http.idempotency import IdempotencyKeyDep, derived_id
from shared.http.identity import CallerDep, require_scope
from shared.http.responses import problems

router = APIRouter(prefix="/v1/partners", tags=["partners"])
PartnerIdPath = Annotated[
    str, Path(min_length=1, max_length=64, description="the partner's id", examples=[PARTNER_ID])
]
_PARTNER = {"partner_id": "$response.body#/id"}
# Where a new partner leads (OpenAPI links): reading, renaming it and making its first key.
_PARTNER_LINKS = {
    "getPartner": {"operationId": "getPartner", "parameters": _PARTNER},
    "renamePartner": {"operationId": "renamePartner", "parameters": _PARTNER},
    "createPartnerKey": {"operationId": "createPartnerKey", "parameters": _PARTNER},
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses={201: {"links": _PARTNER_LINKS}, **problems(403)}
)
async def create_partner(
    body: PartnerIn, caller: CallerDep, ctx: ContextDep, idempotency_key: IdempotencyKeyDep
) -> PartnerRead:
    """Create a partner (admin only); its keys are made with `POST /v1/partners/{partner_id}/keys`."""
    require_scope(caller, Scope.ADMIN)
    derived = derived_id(caller, idempotency_key, body)
    return PartnerRead.of(await directory_handlers.create_partner(ctx, body.name, body.programme_id, derived))


@router.get("", responses=problems(403))
async def list_partners(caller: CallerDep, ctx: ContextDep) -> list[PartnerRead]:
    """List every partner (admin only)."""
    require_scope(caller, Scope.ADMIN)
    return [PartnerRead.of(p) for p in await ctx.partners.all()]


@router.get("/{partner_id}", responses=problems(403, 404))
async def get_partner(partner_id: PartnerIdPath, caller: CallerDep, ctx: ContextDep) -> PartnerRead:
    """Read a partner; a partner key reads its own partner only."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return PartnerRead.of(await directory_handlers.get_partner(ctx, partner_id, caller))


@router.patch("/{partner_id}", responses=problems(403, 404, 409))
async def rename_partner(
    partner_id: PartnerIdPath, body: PartnerRename, caller: CallerDep, ctx: ContextDep
) -> PartnerRead:
    """Rename a partner (admin only); its new name is published on `pulse.partners`."""
    require_scope(caller, Scope.ADMIN)
    return PartnerRead.of(await directory_handlers.rename_partner(ctx, partner_id, body.name))
