"""The public operations by path template: which methods a concrete path takes (for 405 and `Allow`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# A path parameter matches one non-empty segment, as the services route them.
_PARAMETER = re.compile(r"\\\{[^/}]+\\\}")


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + _PARAMETER.sub("[^/]+", re.escape(template)) + "$")


class OperationTable:
    """Path templates of the public document and the methods each takes."""

    def __init__(self, operations: Mapping[str, Iterable[str]] | None = None) -> None:
        self._templates = [
            (_pattern(template), frozenset(m.upper() for m in methods))
            for template, methods in (operations or {}).items()
        ]

    def methods_at(self, path: str) -> frozenset[str] | None:
        """The methods of every template matching `path`, or None when no template does."""
        found: set[str] = set()
        matched = False
        for pattern, methods in self._templates:
            if pattern.match(path):
                matched = True
                found |= methods
        return frozenset(found) if matched else None
