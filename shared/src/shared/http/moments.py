"""A point in time given as a query parameter: an RFC 3339 date-time with its offset, never a number.

Pydantic would read a bare number as seconds since the epoch, which the documented `date-time` format
does not allow: a client sending one has a bug worth a 422, not a silently different filter.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _not_a_number(value: object) -> object:
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("expected an RFC 3339 date-time with its offset, e.g. 2026-01-01T00:00:00Z")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_not_a_number)]
