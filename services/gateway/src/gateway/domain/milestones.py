"""Programme milestones: a public headline counter crossing a multiple of the step, or reaching its target.

Told from the public figures only (docs/architecture.md, Disclosure control), so a milestone says no more
than the public dashboard; each is told once, whatever later figures do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures


@dataclass(frozen=True)
class Reached:
    counter: str
    kind: Literal["step", "target"]
    milestone: int


@dataclass(frozen=True)
class MilestoneState:
    """What was told of a programme: the highest multiple of the step per counter, and targets reached."""

    levels: dict[str, int] = field(default_factory=dict)
    targets: frozenset[str] = frozenset()


def reached(
    state: MilestoneState, public: ProgrammeFigures, step: int
) -> tuple[MilestoneState, list[Reached]]:
    """The milestones these public figures reach that were not told, and the state once they are.

    A jump over several multiples tells only the highest.
    """
    levels, targets, found = dict(state.levels), set(state.targets), []
    for counter in COUNTER_NAMES:
        value: int = getattr(public, counter)
        level = value // step
        if level > levels.get(counter, 0):
            found.append(Reached(counter, "step", level * step))
            levels[counter] = level
        target = public.targets.get(counter)
        if target is not None and target.target > 0 and value >= target.target and counter not in targets:
            found.append(Reached(counter, "target", target.target))
            targets.add(counter)
    return MilestoneState(levels, frozenset(targets)), found
