"""Freezes the held facts out of the garbage collector's full passes as it grows (see `shared.runtime.heap`).

With a million attendances held, full passes walking the facts, their keys, index lists and tally entries
were ~40% of a catch-up's CPU.
"""

from __future__ import annotations

from shared.runtime.heap import freeze_long_lived


class FreezeOnGrowth:
    """Freezes the heap whenever a growing size has passed the last frozen size by `step`."""

    def __init__(self, step: int) -> None:
        self._step = step
        self._frozen_at = 0

    def grown_to(self, size: int) -> bool:
        """Note the current size; True when it froze the heap."""
        if size - self._frozen_at < self._step:
            return False
        freeze_long_lived()
        self._frozen_at = size
        return True
