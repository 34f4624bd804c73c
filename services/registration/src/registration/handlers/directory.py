"""Creating, renaming and finding partners, and naming organisations."""

from __future__ import annotations

import uuid

from registration.context import RegistrationContext
from registration.domain import ids
from registration.domain.directory import Organisation, Partner, new_organisation, renamed
from registration.domain.errors import ConcurrentChange, PartnerNotFound, UnknownPartner
from shared.contracts.identity import Principal, Scope
from shared.contracts.vocabulary import OrganisationKind

_RENAME_ATTEMPTS = 5


async def create_partner(
    ctx: RegistrationContext, name: str, programme_id: str | None, derived: uuid.UUID | None = None
) -> Partner:
    """A new partner, stored with its `pulse.partner.registered.v1` fact. Created under an Idempotency-Key
    (`derived`), a retry finds the partner its first run created instead of creating a second."""
    partner_id = ids.new_id(ids.PARTNER, derived) if derived else ctx.new_id(ids.PARTNER)
    if derived and (first := await ctx.partners.get(partner_id)) is not None:
        return first
    partner = Partner(
        id=partner_id,
        name=name,
        programme_id=programme_id or ctx.settings.programme_id,
        created_at=ctx.clock(),
    )
    await ctx.partners.insert(partner, ctx.messages.partner(partner))
    return partner


async def rename_partner(ctx: RegistrationContext, partner_id: str, name: str) -> Partner:
    """The partner under its new name, stored with its `pulse.partner.renamed.v1` fact (none if unchanged)."""
    for _ in range(_RENAME_ATTEMPTS):
        partner = await get_partner(ctx, partner_id)
        after = renamed(partner, name)
        if after is None:
            return partner
        if await ctx.partners.rename(partner, after, ctx.messages.partner(after)):
            return after
    raise ConcurrentChange("The partner kept changing; try again.")


async def announce_partners(ctx: RegistrationContext) -> int:
    """Publish the first fact of partners stored before partners had facts (idempotent; at start-up)."""
    return await ctx.partners.announce_unannounced(ctx.messages.partner)


async def get_partner(ctx: RegistrationContext, partner_id: str, caller: Principal | None = None) -> Partner:
    """The partner; a partner key sees only its own, and any other does not exist for it."""
    partner = None
    if caller is None or caller.scope is not Scope.PARTNER or caller.partner_id == partner_id:
        partner = await ctx.partners.get(partner_id)
    if partner is None:
        raise PartnerNotFound(f"No partner has id {partner_id!r}.")
    return partner


async def partner_programme(ctx: RegistrationContext, partner_id: str) -> str:
    """The programme a partner registers into; a partner unknown here cannot register anyone."""
    programme = ctx.partner_programmes.get(partner_id)
    if programme is None:
        partner = await ctx.partners.get(partner_id)
        if partner is None:
            raise UnknownPartner()
        programme = ctx.partner_programmes[partner_id] = partner.programme_id
    return programme


async def name_organisation(
    ctx: RegistrationContext, name: str, kind: OrganisationKind, partner_id: str | None
) -> tuple[Organisation, bool]:
    """The organisation of that name and kind, created if nobody named it before."""
    organisation = new_organisation(ctx.new_id(ids.ORGANISATION), name, kind, partner_id, ctx.clock())
    return await ctx.organisations.insert_or_find(organisation)
