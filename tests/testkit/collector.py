"""What the garbage collector sees."""

from __future__ import annotations

import gc


def walked_by_collector(obj: object) -> bool:
    """True when the collector's passes still walk `obj` (False once frozen, or for untracked objects)."""
    return any(o is obj for o in gc.get_objects())
