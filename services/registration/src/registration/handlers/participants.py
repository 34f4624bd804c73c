"""Registering participants one at a time or in batches, through one bulk path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from registration.context import RegistrationContext
from registration.domain import clock
from registration.domain.batch import RefPlan, plan_batch
from registration.domain.ids import new_participant_id
from registration.domain.participants import Outcome, Participant, Registration
from registration.handlers.directory import partner_programme
from registration.messages import changed_entry, key_entry
from registration.repository.participants import Change
from registration.routes.schemas import BatchItemResult, ItemError, ParticipantIn
from shared.http.problems import ProblemError

_ATTEMPTS = 5  # rounds against concurrent writers of the same participants before giving up on an item


@dataclass(frozen=True)
class Registered:
    participant: Participant
    outcome: Outcome


async def register_one(ctx: RegistrationContext, partner_id: str, body: ParticipantIn) -> Registered:
    programme_id = await partner_programme(ctx, partner_id)
    registration = body.registration()
    org = registration.details.organisation_id
    if org is not None and not await ctx.organisations.existing_ids({org}):
        error = _unknown_organisation(org)
        raise ProblemError(422, error.title, error.detail, type_="unknown-organisation", errors=error.errors)
    done = await _apply(ctx, partner_id, programme_id, [(0, registration)])
    if 0 not in done:
        raise ProblemError(409, "Conflict", "The participant changed concurrently; retry.", type_="conflict")
    return done[0]


async def register_batch(
    ctx: RegistrationContext, partner_id: str, items: Sequence[Any]
) -> list[BatchItemResult]:
    """A result per item in request order; invalid items get their own error and never stop the rest."""
    if len(items) > ctx.settings.max_batch_items:
        raise ProblemError(
            413,
            "Batch too large",
            f"A batch holds at most {ctx.settings.max_batch_items} participants; this one has {len(items)}.",
            type_="batch-too-large",
        )
    programme_id = await partner_programme(ctx, partner_id)
    results: dict[int, BatchItemResult] = {}
    valid: list[tuple[int, Registration]] = []
    for index, item in enumerate(items):
        try:
            valid.append((index, ParticipantIn.model_validate(item).registration()))
        except ValidationError as exc:
            results[index] = _error_result(index, _invalid(exc))
    orgs = {o for _, r in valid if (o := r.details.organisation_id) is not None}
    known = await ctx.organisations.existing_ids(orgs)
    for index, registration in valid:
        org = registration.details.organisation_id
        if org is not None and org not in known:
            results[index] = _error_result(index, _unknown_organisation(org))
    accepted = [(i, r) for i, r in valid if i not in results]
    done = await _apply(ctx, partner_id, programme_id, accepted)
    for index, _ in accepted:
        registered = done.get(index)
        results[index] = (
            BatchItemResult(index=index, status=registered.outcome.value, id=registered.participant.id)
            if registered
            else _error_result(index, ItemError(title="Conflict", detail="Changed concurrently; retry."))
        )
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
            now=clock.now(),
            new_id=new_participant_id,
        )
        changes = [_change(ctx, plan) for plan in plans.values() if plan.changes]
        lost = await ctx.participants.write(changes)
        if changes:
            ctx.relay.wake()
        final = {plan.after.id: plan.after for plan in plans.values()}
        lost_refs = {ref for ref, plan in plans.items() if plan.after.id in lost}
        for result in results:
            if final[result.participant_id].partner_ref not in lost_refs:
                done[result.index] = Registered(final[result.participant_id], result.outcome)
        pending = [(i, r) for i, r in pending if r.partner_ref in lost_refs]
    return done


def _change(ctx: RegistrationContext, plan: RefPlan) -> Change:
    # A new participant's key, or one stored before keys existed, is published with its first change.
    outbox = [key_entry(ctx.keys_topic, plan.after)] if plan.after.key_unpublished else []
    outbox += [changed_entry(ctx.topic, outcome, snapshot) for outcome, snapshot in plan.changes]
    before_version = plan.before.version if plan.before else 0
    return Change(after=plan.after, before_version=before_version, outbox=outbox)


def _invalid(exc: ValidationError) -> ItemError:
    # Like the HTTP layer, the input is never echoed back: it may hold personal data.
    errors = [
        {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]
    return ItemError(
        title="Invalid participant", detail="The item does not match the schema; see errors.", errors=errors
    )


def _unknown_organisation(org: str) -> ItemError:
    return ItemError(
        title="Unknown organisation",
        detail=f"No organisation has id {org!r}; create it with POST /v1/organisations first.",
        errors=[{"loc": ["organisation_id"], "msg": "unknown organisation", "type": "unknown_organisation"}],
    )


def _error_result(index: int, error: ItemError) -> BatchItemResult:
    return BatchItemResult(index=index, status="error", error=error)
