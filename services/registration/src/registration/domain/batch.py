"""Planning a batch of registrations against what is stored, so that it is written in a few bulk calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from registration.domain.participants import Outcome, Participant, Registration, register


@dataclass
class RefPlan:
    """What a batch does to one partner_ref: the stored participant before and after, and each change."""

    before: Participant | None
    after: Participant
    changes: list[tuple[Outcome, Participant]] = field(default_factory=list)


@dataclass(frozen=True)
class ItemResult:
    index: int
    outcome: Outcome
    participant_id: str


def plan_batch(
    items: Sequence[tuple[int, Registration]],
    stored: Mapping[str, Participant],
    *,
    partner_id: str,
    programme_id: str,
    now: datetime,
    new_id: Callable[[], str],
) -> tuple[list[ItemResult], dict[str, RefPlan]]:
    """Apply items in order; a repeated partner_ref is a replay of the earlier item (first wins)."""
    plans: dict[str, RefPlan] = {}
    results: list[ItemResult] = []
    for index, registration in items:
        ref = registration.partner_ref
        plan = plans.get(ref)
        current = plan.after if plan else stored.get(ref)
        after, outcome = register(
            current, registration, partner_id=partner_id, programme_id=programme_id, now=now, new_id=new_id
        )
        if plan is None:
            plan = plans[ref] = RefPlan(before=stored.get(ref), after=after)
        plan.after = after
        if outcome is not Outcome.UNCHANGED:
            plan.changes.append((outcome, after))
        results.append(ItemResult(index, outcome, after.id))
    return results, plans
