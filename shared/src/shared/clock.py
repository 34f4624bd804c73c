"""Time as the platform stores it: MongoDB keeps milliseconds, so every stored or emitted time is truncated.

Truncating before storing means what a service answers equals what a later read returns and what it emits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def to_millis(moment: datetime) -> datetime:
    """The moment as MongoDB stores it: truncated to milliseconds."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def now() -> datetime:
    """Now in UTC, in milliseconds."""
    return to_millis(datetime.now(UTC))
