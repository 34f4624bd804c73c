"""Token buckets: a steady rate with a burst allowance, per key or per client address."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TokenBucket:
    rate: float
    burst: float
    tokens: float
    updated_at: float

    def _refill(self, now: float) -> None:
        # A caller may pass a time read before it awaited something: time never runs backwards here.
        if now > self.updated_at:
            self.tokens = min(self.burst, self.tokens + (now - self.updated_at) * self.rate)
            self.updated_at = now

    def take(self, now: float) -> float:
        """Take one token; returns 0 when allowed, else the seconds until one is available."""
        self._refill(now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate

    def wait(self, now: float) -> float:
        """Seconds until one token is available, without taking it."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst


class RateLimiter:
    """One bucket per name; idle (full) buckets are dropped so memory stays bounded."""

    def __init__(self, rate: float, burst: float, max_buckets: int = 100_000) -> None:
        self._rate = rate
        self._burst = burst
        self._max_buckets = max_buckets
        self._buckets: dict[str, TokenBucket] = {}

    def _bucket(self, name: str, now: float) -> TokenBucket:
        bucket = self._buckets.get(name)
        if bucket is None:
            if len(self._buckets) >= self._max_buckets:
                self._buckets = {k: b for k, b in self._buckets.items() if not b.full(now)}
            bucket = TokenBucket(self._rate, self._burst, self._burst, now)
            self._buckets[name] = bucket
        return bucket

    def take(self, name: str, now: float) -> float:
        return self._bucket(name, now).take(now)

    def wait(self, name: str, now: float) -> float:
        bucket = self._buckets.get(name)
        return 0.0 if bucket is None else bucket.wait(now)
