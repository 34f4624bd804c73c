"""Creating and finding partners and organisations."""

from __future__ import annotations

from registration.context import RegistrationContext
from registration.domain import clock
from registration.domain.ids import new_organisation_id, new_partner_id
from registration.repository.directory import name_key
from registration.routes.schemas import OrganisationIn, PartnerIn
from shared.http.problems import ProblemError
from shared.mongo.client import Document


async def create_partner(ctx: RegistrationContext, body: PartnerIn) -> Document:
    partner = {
        "_id": new_partner_id(),
        "name": body.name,
        "programme_id": body.programme_id or ctx.settings.programme_id,
        "created_at": clock.now(),
    }
    await ctx.partners.insert(partner)
    return partner


async def get_partner(ctx: RegistrationContext, partner_id: str) -> Document:
    partner = await ctx.partners.get(partner_id)
    if partner is None:
        raise ProblemError(404, "Partner not found", f"No partner has id {partner_id!r}.", type_="not-found")
    return partner


async def partner_programme(ctx: RegistrationContext, partner_id: str) -> str:
    """The programme a partner registers into; a partner unknown here cannot register anyone."""
    programme = ctx.partner_programmes.get(partner_id)
    if programme is None:
        partner = await ctx.partners.get(partner_id)
        if partner is None:
            raise ProblemError(
                403, "Unknown partner", "This key's partner does not exist.", type_="unknown-partner"
            )
        programme = ctx.partner_programmes[partner_id] = partner["programme_id"]
    return programme


async def name_organisation(
    ctx: RegistrationContext, body: OrganisationIn, partner_id: str | None
) -> tuple[Document, bool]:
    """The organisation of that name and kind, created if nobody named it before."""
    organisation = {
        "_id": new_organisation_id(),
        "name": " ".join(body.name.split()),
        "name_key": name_key(body.name),
        "kind": body.kind.value,
        "created_by": partner_id,
        "created_at": clock.now(),
    }
    return await ctx.organisations.insert_or_find(organisation)
