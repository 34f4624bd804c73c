"""Fixed-window limits: at most `limit` requests per window of `length_s` seconds, per key or address.

Windows are numbered from the epoch on the wall clock, so every gateway replica counts into the same one.
A rate with a burst is `burst` requests per window of burst/rate seconds: the rate on average, the burst at
once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FixedWindow:
    length_s: float
    limit: int

    @classmethod
    def of_rate(cls, rate: float, burst: float) -> FixedWindow:
        return cls(length_s=burst / rate, limit=int(burst))

    def number(self, now: float) -> int:
        """The window `now` (seconds since the epoch) falls in."""
        return int(now // self.length_s)

    def exceeded(self, used: int) -> bool:
        """Whether `used` requests in one window, the current one included, are more than allowed."""
        return used > self.limit

    def retry_after(self, now: float) -> float:
        """Seconds until the next window opens."""
        return (self.number(now) + 1) * self.length_s - now
