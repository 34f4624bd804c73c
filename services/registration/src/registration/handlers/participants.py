"""Registering participants one at a time or in batches, through one bulk path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from registration.context import RegistrationContext
from registration.domain import ids
from registration.domain.batch import RefPlan, plan_batch
from registration.domain.errors import BatchTooLarge, ConcurrentChange, RegistrationError, UnknownOrganisation
from registration.domain.participants import Outcome, Participant, Registration
from registration.handlers.directory import partner_programme
from registration.handlers.storage import Change

_ATTEMPTS = 5  # rounds against concurrent writers of the same participants before giving up on an item


@dataclass(frozen=True)
class Registered:
    participant: Participant
    outcome: Outcome


async def register_one(ctx: RegistrationContext, partner_id: str, registration: Registration) -> Registered:
    [result] = await register_batch(ctx, partner_id, [registration])
    if isinstance(result, RegistrationError):
        raise result
    return result


async def register_batch(
    ctx: RegistrationContext, partner_id: str, items: Sequence[Registration | RegistrationError]
) -> list[Registered | RegistrationError]:
    """A result per item in request order; an item refused (here, or already when read) never stops the rest.

    A repeated partner_ref is a replay of the earlier item.
    """
    if len(items) > ctx.settings.max_batch_items:
        raise BatchTooLarge(
            f"A batch holds at most {ctx.settings.max_batch_items} participants; this one has {len(items)}."
        )
    programme_id = await partner_programme(ctx, partner_id)
    results: dict[int, Registered | RegistrationError] = {
        index: item for index, item in enumerate(items) if isinstance(item, RegistrationError)
    }
    valid = [(index, item) for index, item in enumerate(items) if isinstance(item, Registration)]
    orgs = {o for _, r in valid if (o := r.details.organisation_id) is not None}
    known = await ctx.organisations.existing_ids(orgs)
    for index, registration in valid:
        org = registration.details.organisation_id
        if org is not None and org not in known:
            results[index] = UnknownOrganisation(org)
    accepted = [(i, r) for i, r in valid if i not in results]
    done = await _apply(ctx, partner_id, programme_id, accepted)
    for index, _ in accepted:
        results[index] = done.get(index) or ConcurrentChange("Changed concurrently; retry.")
    return [results[i] for i in range(len(items))]


async def _apply(
    ctx: RegistrationContext, partner_id: str, programme_id: str, items: list[tuple[int, Registration]]
) -> dict[int, Registered]:
    """Plan against what is stored and write in bulk; items whose write lost a race are planned again."""
    done: dict[int, Registered] = {}
    pending = items
    for _ in range(_ATTEMPTS):
        if not pending:
            break
        stored = await ctx.participants.by_refs(partner_id, (r.partner_ref for _, r in pending))
        results, plans = plan_batch(
            pending,
            stored,
            partner_id=partner_id,
            programme_id=programme_id,
            now=ctx.clock(),
            new_id=lambda: ctx.new_id(ids.PARTICIPANT),
        )
        lost = await ctx.participants.write([_change(ctx, plan) for plan in plans.values() if plan.changes])
        final = {plan.after.id: plan.after for plan in plans.values()}
        lost_refs = {ref for ref, plan in plans.items() if plan.after.id in lost}
        for result in results:
            if final[result.participant_id].partner_ref not in lost_refs:
                done[result.index] = Registered(final[result.participant_id], result.outcome)
        pending = [(i, r) for i, r in pending if r.partner_ref in lost_refs]
    return done


def _change(ctx: RegistrationContext, plan: RefPlan) -> Change:
    # A new participant's key, or one stored before keys existed, is published with its first change.
    messages = [ctx.messages.key(plan.after)] if plan.after.key_unpublished else []
    messages += [ctx.messages.changed(outcome, snapshot) for outcome, snapshot in plan.changes]
    before_version = plan.before.version if plan.before else 0
    return Change(after=plan.after, before_version=before_version, messages=messages)
