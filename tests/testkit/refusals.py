"""The refusals a service's domain declares, to check that its problems module answers every one."""

from __future__ import annotations

from types import ModuleType


def refusals_of(module: ModuleType, base: type[Exception]) -> set[type[Exception]]:
    """Every subclass of `base` that `module` (a service's domain/errors.py) declares."""
    return {
        kind
        for kind in vars(module).values()
        if isinstance(kind, type) and issubclass(kind, base) and kind is not base
    }
