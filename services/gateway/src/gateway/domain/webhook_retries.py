"""When a failed delivery is tried again: exponential backoff with jitter over about a day, then dead-lettered.

What counts as success follows Standard Webhooks: any 2xx. A 410 Gone disables the endpoint; a
Retry-After (429, 503) is honoured when it asks for longer than the schedule, up to an hour.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

# 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: 11 attempts over 23.7 hours.
DEFAULT_SCHEDULE_S = (5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 28800.0)
JITTER = 0.2  # each delay is drawn from +-20% of its scheduled value, so retries of many spread out
MAX_RETRY_AFTER_S = 3600.0
ERROR_LIMIT = 500  # characters of an error kept for the partner to read


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to."""

    status_code: int | None = None
    error: str | None = None
    retry_after_s: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """The receiver asked for no more deliveries (Standard Webhooks: disable the endpoint)."""
        return self.status_code == 410

    def describe(self) -> str:
        if self.error:
            return self.error[:ERROR_LIMIT]
        return f"HTTP {self.status_code}"


def retry_delay(
    schedule_s: Sequence[float], failed_in_round: int, outcome: Outcome, rng: random.Random
) -> float | None:
    """Seconds until the next attempt after the `failed_in_round`-th failure in a row, or None: give up."""
    if outcome.gone or failed_in_round > len(schedule_s):
        return None
    delay = schedule_s[failed_in_round - 1] * rng.uniform(1 - JITTER, 1 + JITTER)
    if outcome.retry_after_s is not None:
        delay = max(delay, min(outcome.retry_after_s, MAX_RETRY_AFTER_S))
    return delay


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header given in seconds (an HTTP date is rare from receivers and ignored)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
