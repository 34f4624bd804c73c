"""Keeps the garbage collector's full passes off the fact set, which only grows.

A full collection walks every object the collector tracks, and the fact set holds several per fact (the
fact, its key, index lists, tally entries): with a million attendances held, those walks were ~40% of a
catch-up's CPU. Nothing in the fact set forms a reference cycle, so reference counting alone frees a fact
that a merge replaces. Each time the set has grown by `step` facts, `gc.freeze()` moves everything then
alive out of the collector's sight; what is allocated after is collected as before. Cyclic garbage alive at
that instant is frozen too and never freed: a few objects per step, and the steps are bounded by the facts'
growth.

CPython runs a full pass only when the objects promoted since the last one exceed a quarter of those it
holds; with the facts frozen it holds few, so nearly every tenth middle-generation pass became a full pass
over a consumer batch in flight (20,000 records, five objects each). Once frozen, full passes wait for
`FULL_PASS_EVERY` middle passes instead.
"""

from __future__ import annotations

import gc

FULL_PASS_EVERY = 100  # CPython's default is 10


class FreezeOnGrowth:
    """Freezes the heap whenever a growing size has passed the last frozen size by `step`."""

    def __init__(self, step: int) -> None:
        self._step = step
        self._frozen_at = 0

    def grown_to(self, size: int) -> bool:
        """Note the current size; True when it froze the heap."""
        if size - self._frozen_at < self._step:
            return False
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_PASS_EVERY)
        self._frozen_at = size
        return True
