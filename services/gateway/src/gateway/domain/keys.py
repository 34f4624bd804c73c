"""API keys: random secrets shown once, kept only as hashes, with a scope and an optional expiry."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.contracts.identity import Principal, Scope

KEY_PREFIX = "pk_"


def new_secret() -> str:
    """A fresh key secret: 256 random bits."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """SHA-256 of the secret.

    A fast hash is enough here: keys carry 256 random bits, so unlike passwords they cannot be guessed
    from a dictionary, and a slow KDF would only make every authenticated request slower.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    """A stored key: never its secret, only the secret's hash."""

    id: str
    hash: str
    scope: Scope
    created_at: datetime
    partner_id: str | None = None
    event_id: str | None = None
    expires_at: datetime | None = None
    label: str | None = None
    revoked_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at

    def principal(self) -> Principal:
        return Principal(scope=self.scope, key_id=self.id, partner_id=self.partner_id, event_id=self.event_id)


def new_key_id() -> str:
    return f"key_{uuid.uuid4().hex}"


def partner_key(partner_id: str, now: datetime, label: str | None = None) -> tuple[ApiKey, str]:
    """A key that acts for one partner; returns the record and the secret to show once."""
    secret = new_secret()
    key = ApiKey(
        id=new_key_id(),
        hash=hash_secret(secret),
        scope=Scope.PARTNER,
        partner_id=partner_id,
        created_at=now,
        label=label,
    )
    return key, secret


def checkin_key(
    event_id: str, partner_id: str, expires_at: datetime, now: datetime, label: str | None = None
) -> tuple[ApiKey, str]:
    """A door-device key that may only check people in to one event, until it expires."""
    secret = new_secret()
    key = ApiKey(
        id=new_key_id(),
        hash=hash_secret(secret),
        scope=Scope.CHECKIN,
        partner_id=partner_id,
        event_id=event_id,
        expires_at=expires_at,
        created_at=now,
        label=label,
    )
    return key, secret


def checkin_expiry_error(expires_at: datetime, now: datetime, max_days: int) -> str | None:
    """Why an expiry is refused, or None when it is in the future and within max_days."""
    if expires_at <= now:
        return "expires_at must be in the future"
    if expires_at > now + timedelta(days=max_days):
        return f"expires_at must be at most {max_days} days ahead"
    return None


def may_manage(principal: Principal, key: ApiKey) -> bool:
    """Admins manage every key; a partner manages its own keys and its events' check-in keys."""
    if principal.scope is Scope.ADMIN:
        return True
    return principal.scope is Scope.PARTNER and key.partner_id == principal.partner_id
