"""Turn an `Authorization: Bearer <key>` header into a Principal, within the key's and the address's limits.

Every count lives in the gateway's database, so the limits hold across all replicas together; API keys are
looked up and counted through `KeyUsage`, which syncs with the database every `key_sync_s`, so a revoked key
is refused by every replica within a bound (docs/architecture.md, Security model).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime

from gateway.domain.errors import NotAuthenticated, RateLimited
from gateway.domain.keys import hash_secret
from gateway.domain.rate_limit import FixedWindow
from gateway.handlers.key_usage import KeyUsage
from gateway.repository.request_windows import RequestWindows
from shared.contracts.identity import PUBLIC, Principal, Scope

ADMIN_ENV_KEY_ID = "admin-env"
_BEARER = "bearer "
_ADMIN_ENV = Principal(scope=Scope.ADMIN, key_id=ADMIN_ENV_KEY_ID)


class Authenticator:
    """Checks keys against the env admin key and the key store, counting each key's requests per window."""

    def __init__(
        self,
        *,
        admin_key: str,
        keys: KeyUsage,
        windows: RequestWindows,
        per_key: FixedWindow,
        failures_per_address: FixedWindow,
        clock: Callable[[], float] = time.time,  # wall-clock time: every replica must agree on the window
    ) -> None:
        self._admin_key = admin_key.encode()
        self._keys = keys
        self._windows = windows
        self._per_key = per_key
        self._failures = failures_per_address
        self._clock = clock

    async def principal(self, authorization: str | None, client_address: str) -> Principal:
        """The caller; refuses a bad key, and a key, or an address failing, over its limit.

        The failures of an address are counted, and looked at, only for keys that fail: a valid key is
        served however many bad ones came from its address (many callers may share one behind a NAT).
        """
        if authorization is None:
            return PUBLIC
        now = self._clock()
        found = await self._identify(authorization, self._per_key.number(now))
        if found is None:
            raise await self._failed(client_address, now)
        principal, used = found
        if self._per_key.exceeded(used):
            raise RateLimited(self._per_key.retry_after(now))
        return principal

    def forget_key(self, key_id: str) -> None:
        """A key revoked through this replica: refused by it from its next request."""
        self._keys.forget(key_id)

    async def _identify(self, authorization: str, window: int) -> tuple[Principal, int] | None:
        """The principal and its requests in this window (this one counted), or None for a bad key."""
        if authorization[: len(_BEARER)].lower() != _BEARER:
            return None
        secret = authorization[len(_BEARER) :].strip()
        if not secret or len(secret) > 256:
            return None
        if hmac.compare_digest(secret.encode(), self._admin_key):
            used = await self._windows.count(f"key:{ADMIN_ENV_KEY_ID}", window, self._per_key.length_s)
            return _ADMIN_ENV, used
        found = await self._keys.use(hash_secret(secret), window)
        if found is None or not found[0].usable_at(datetime.now(UTC)):
            return None
        key, used = found
        return key.principal(), used

    async def _failed(self, client_address: str, now: float) -> NotAuthenticated | RateLimited:
        window = self._failures.number(now)
        failures = await self._windows.count(f"address:{client_address}", window, self._failures.length_s)
        if self._failures.exceeded(failures):
            return RateLimited(self._failures.retry_after(now))
        return NotAuthenticated()
