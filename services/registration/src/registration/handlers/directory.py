"""Creating and finding partners and organisations."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from registration.context import RegistrationContext
from registration.domain import clock
from registration.domain.ids import new_organisation_id, new_partner_id
from registration.messages import partner_entry
from registration.repository.directory import name_key
from registration.routes.schemas import OrganisationIn, PartnerIn, PartnerRename
from shared.contracts.identity import Principal
from shared.http.idempotency import derived_id
from shared.http.problems import ProblemError
from shared.mongo.client import Document
from shared.mongo.outbox import new_document_outbox

_RENAME_ATTEMPTS = 5


async def create_partner(
    ctx: RegistrationContext, caller: Principal, body: PartnerIn, idempotency_key: str | None = None
) -> Document:
    """A new partner, stored with its `pulse.partner.registered.v1` fact; a retry with the same
    Idempotency-Key finds the one its first run created."""
    partner_id = new_partner_id(derived_id(caller, idempotency_key, body))
    partner: Document = {
        "_id": partner_id,
        "name": body.name,
        "programme_id": body.programme_id or ctx.settings.programme_id,
        "created_at": clock.now(),
        "version": 1,
    }
    try:
        await ctx.partners.insert(
            {**partner, **new_document_outbox([partner_entry(ctx.partners_topic, partner)])}
        )
    except DuplicateKeyError:
        first = await ctx.partners.get(partner_id)
        if idempotency_key is None or first is None:
            raise
        return first
    ctx.relay.wake(ctx.partners.collection)
    return partner


async def rename_partner(ctx: RegistrationContext, partner_id: str, body: PartnerRename) -> Document:
    """The partner under its new name, stored with its `pulse.partner.renamed.v1` fact (none if unchanged)."""
    for _ in range(_RENAME_ATTEMPTS):
        partner = await get_partner(ctx, partner_id)
        if partner["name"] == body.name:
            return partner
        renamed = {**partner, "name": body.name, "version": partner["version"] + 1}
        if await ctx.partners.rename(partner, body.name, [partner_entry(ctx.partners_topic, renamed)]):
            ctx.relay.wake(ctx.partners.collection)
            return renamed
    raise ProblemError(409, "Conflict", "The partner kept changing; try again.", type_="conflict")


async def announce_partners(ctx: RegistrationContext) -> int:
    """Publish the first fact of partners stored before partners had facts (idempotent; at start-up)."""
    return await ctx.partners.announce_unannounced(lambda p: partner_entry(ctx.partners_topic, p))


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
