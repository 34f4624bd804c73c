"""Partners: created, renamed and listed by admins; a partner may read itself."""

from __future__ import annotations

from fastapi import APIRouter, status

from registration.handlers import directory as directory_handlers
from registration.routes.dependencies import ContextDep
from registration.routes.schemas import PartnerIn, PartnerRead, PartnerRename
from shared.contracts.identity import Scope
from shared.http.idempotency import IdempotencyKeyDep
from shared.http.identity import CallerDep, require_scope
from shared.http.problems import ProblemError
from shared.mongo.client import Document

router = APIRouter(prefix="/v1/partners", tags=["partners"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_partner(
    body: PartnerIn, caller: CallerDep, ctx: ContextDep, idempotency_key: IdempotencyKeyDep
) -> PartnerRead:
    """Create a partner (admin only); its keys are made with `POST /v1/partners/{partner_id}/keys`."""
    require_scope(caller, Scope.ADMIN)
    return _read(await directory_handlers.create_partner(ctx, caller, body, idempotency_key))


@router.get("")
async def list_partners(caller: CallerDep, ctx: ContextDep) -> list[PartnerRead]:
    require_scope(caller, Scope.ADMIN)
    return [_read(p) for p in await ctx.partners.all()]


@router.get("/{partner_id}")
async def get_partner(partner_id: str, caller: CallerDep, ctx: ContextDep) -> PartnerRead:
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    if caller.scope is Scope.PARTNER and caller.partner_id != partner_id:
        raise ProblemError(404, "Partner not found", f"No partner has id {partner_id!r}.", type_="not-found")
    return _read(await directory_handlers.get_partner(ctx, partner_id))


@router.patch("/{partner_id}")
async def rename_partner(
    partner_id: str, body: PartnerRename, caller: CallerDep, ctx: ContextDep
) -> PartnerRead:
    """Rename a partner (admin only); its new name is published on `pulse.partners`."""
    require_scope(caller, Scope.ADMIN)
    return _read(await directory_handlers.rename_partner(ctx, partner_id, body))


def _read(doc: Document) -> PartnerRead:
    return PartnerRead(
        id=doc["_id"], name=doc["name"], programme_id=doc["programme_id"], created_at=doc["created_at"]
    )
