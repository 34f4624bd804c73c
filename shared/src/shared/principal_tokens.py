"""The principal the gateway forwards, as a short-lived token it signs and each service verifies.

Claims: scope, key id, partner id, event id, audience (the one service it is for), issued-at and expiry.
Both sides keep what they computed for a while, so that a request costs a dictionary lookup rather than an
Ed25519 signature or verification (docs/architecture.md, Security model).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from shared import signed_tokens
from shared.contracts.identity import Principal, Scope
from shared.signed_tokens import InvalidToken

TOKEN_TTL_S = 60
# The gateway signs anew once less than this is left, so a token outlives any request sent with it (and a
# service's clock may run this far ahead of the gateway's).
REUSE_UNTIL_LEFT_S = 30
MAX_TOKEN_LENGTH = 1024
MAX_CACHED = 10_000

V = TypeVar("V")


class PrincipalClaims(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    aud: str  # the service the token is for
    scp: Scope
    kid: str | None = None  # key id
    prt: str | None = None  # partner id
    evt: str | None = None  # event id
    iat: int  # issued at, seconds since the epoch
    exp: int  # expiry, seconds since the epoch


class ExpiringCache(Generic[V]):
    """At most `size` values, each kept until its expiry; the least recently used go first."""

    def __init__(self, size: int = MAX_CACHED) -> None:
        self._size = size
        self._entries: OrderedDict[object, tuple[V, float]] = OrderedDict()

    def get(self, key: object, now: float, min_left_s: float = 0.0) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] - now <= min_left_s:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: object, value: V, expires_at: float) -> None:
        self._entries[key] = (value, expires_at)
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


class PrincipalSigner:
    """The gateway's side: a token per (principal, audience), signed again only near its expiry."""

    def __init__(self, private_key: str, *, clock: Callable[[], float] = time.time) -> None:
        self._key = signed_tokens.load_private_key(private_key)
        self._clock = clock
        self._tokens: ExpiringCache[str] = ExpiringCache()

    def token(self, principal: Principal, audience: str) -> str:
        now = self._clock()
        cache_key = (principal.scope, principal.key_id, principal.partner_id, principal.event_id, audience)
        token = self._tokens.get(cache_key, now, REUSE_UNTIL_LEFT_S)
        if token is None:
            issued = int(now)
            claims = PrincipalClaims(
                aud=audience,
                scp=principal.scope,
                kid=principal.key_id,
                prt=principal.partner_id,
                evt=principal.event_id,
                iat=issued,
                exp=issued + TOKEN_TTL_S,
            )
            token = signed_tokens.sign(claims, self._key)
            self._tokens.put(cache_key, token, claims.exp)
        return token


def load_public_keys(encoded: str) -> tuple[Ed25519PublicKey, ...]:
    """One key, or several separated by commas while the pair is being rotated; ValueError if none."""
    keys = tuple(signed_tokens.load_public_key(part) for part in encoded.split(",") if part.strip())
    if not keys:
        raise ValueError("no public key given")
    return keys


class PrincipalVerifier:
    """A service's side: the principal of a token signed for `audience`, verified once per token."""

    def __init__(self, public_keys: str, audience: str, *, clock: Callable[[], float] = time.time) -> None:
        self._keys = load_public_keys(public_keys)
        self._audience = audience
        self._clock = clock
        self._verified: ExpiringCache[Principal] = ExpiringCache()

    def principal(self, token: str) -> Principal:
        """The principal the token names, or InvalidToken (forged, tampered, expired, another audience)."""
        now = self._clock()
        principal = self._verified.get(token, now)
        if principal is not None:
            return principal
        if len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken("token is too long")
        claims = signed_tokens.verify(token, self._keys, PrincipalClaims)
        if claims.aud != self._audience:
            raise InvalidToken(f"token is for {claims.aud!r}, not {self._audience!r}")
        if claims.exp <= now:
            raise InvalidToken("token has expired")
        principal = Principal(scope=claims.scp, key_id=claims.kid, partner_id=claims.prt, event_id=claims.evt)
        self._verified.put(token, principal, claims.exp)
        return principal
