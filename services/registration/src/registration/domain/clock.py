"""The current time as MongoDB stores it."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Now in UTC, truncated to milliseconds so that a response equals what a later read returns."""
    t = datetime.now(UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)
