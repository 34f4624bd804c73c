"""Turn an `Authorization: Bearer <key>` header into a Principal, with rate limits per key and per IP."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime

from gateway.domain.keys import ApiKey, hash_secret
from gateway.domain.rate_limit import RateLimiter
from gateway.repository.keys import KeyRepository
from gateway.routes.problems import too_many_requests, unauthorised
from shared.contracts.identity import PUBLIC, Principal, Scope

ADMIN_ENV_KEY_ID = "admin-env"
_BEARER = "bearer "


class Authenticator:
    """Checks keys against the env admin key and the key store; caches lookups for a few seconds."""

    def __init__(
        self,
        *,
        admin_key: str,
        repository: KeyRepository,
        per_key: RateLimiter,
        failures_per_ip: RateLimiter,
        cache_ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._admin_key = admin_key.encode()
        self._repository = repository
        self._per_key = per_key
        self._failures = failures_per_ip
        self._cache_ttl_s = cache_ttl_s
        self._clock = clock
        self._cache: dict[str, tuple[float, ApiKey]] = {}

    async def principal(self, authorization: str | None, client_ip: str) -> Principal:
        """The caller; raises 401 for a bad key and 429 when the key or the IP is over its rate."""
        if authorization is None:
            return PUBLIC
        now = self._clock()
        wait = self._failures.wait(client_ip, now)
        if wait > 0:
            raise too_many_requests(wait)
        principal = await self._identify(authorization)
        now = self._clock()  # the lookup may have waited seconds for the database
        if principal is None:
            self._failures.take(client_ip, now)
            raise unauthorised("The API key is missing, malformed, unknown, revoked or expired.")
        wait = self._per_key.take(principal.key_id or "", now)
        if wait > 0:
            raise too_many_requests(wait)
        return principal

    async def _identify(self, authorization: str) -> Principal | None:
        if authorization[: len(_BEARER)].lower() != _BEARER:
            return None
        secret = authorization[len(_BEARER) :].strip()
        if not secret or len(secret) > 256:
            return None
        if hmac.compare_digest(secret.encode(), self._admin_key):
            return Principal(scope=Scope.ADMIN, key_id=ADMIN_ENV_KEY_ID)
        key = await self._lookup(hash_secret(secret))
        if key is None or not key.usable_at(datetime.now(UTC)):
            return None
        return key.principal()

    async def _lookup(self, key_hash: str) -> ApiKey | None:
        now = self._clock()
        cached = self._cache.get(key_hash)
        if cached is not None and now - cached[0] < self._cache_ttl_s:
            return cached[1]
        key = await self._repository.by_hash(key_hash)
        if key is None:
            self._cache.pop(key_hash, None)  # unknown keys are not cached: guesses must not fill memory
            return None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key_hash] = (now, key)
        return key

    def forget(self, key_id: str) -> None:
        """Drop a key from the cache so its revocation takes effect at once on this gateway."""
        self._cache = {h: entry for h, entry in self._cache.items() if entry[1].id != key_id}
