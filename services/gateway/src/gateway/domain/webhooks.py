"""Webhook endpoints and what they are sent: Standard Webhooks secrets, signatures and ids.

Signing follows the Standard Webhooks specification: HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`
with the base64-decoded part of a `whsec_` secret, sent as `v1,<base64>`; several signatures, space-separated,
while a rotated secret is still honoured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.identity import Principal, Scope

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_endpoint_id() -> str:
    return f"whk_{uuid.uuid4().hex}"


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of a message with one `whsec_` secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signatures(secrets_in_use: Iterable[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one signature per secret in use, space-separated."""
    return " ".join(signature(s, message_id, timestamp, body) for s in secrets_in_use)


def message_id(source_id: str) -> str:
    """The `webhook-id` (and CloudEvent id) of what a fact tells: stable, and free of the dots the signed
    content uses as separators (fact ids may hold dots)."""
    return "msg_" + hashlib.sha256(source_id.encode()).hexdigest()[:32]


def delivery_id(endpoint_id: str, message: str) -> str:
    """One delivery per message per endpoint, whichever instance or redelivered batch creates it."""
    return "whd_" + hashlib.sha256(f"{endpoint_id}\n{message}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Endpoint:
    """A partner's webhook endpoint; `secret` signs, and `previous_secret` too until `previous_until`."""

    id: str
    partner_id: str
    programme_id: str
    url: str
    event_types: tuple[str, ...]
    description: str | None
    enabled: bool
    secret: str
    created_at: datetime
    updated_at: datetime
    previous_secret: str | None = None
    previous_until: datetime | None = None
    disabled_reason: str | None = None

    def secrets_at(self, now: datetime) -> list[str]:
        """The secrets that sign a message sent now."""
        if self.previous_secret and self.previous_until and now < self.previous_until:
            return [self.secret, self.previous_secret]
        return [self.secret]


@dataclass(frozen=True)
class Notice:
    """What one fact tells partners: for one partner's endpoints, or (partner None) the programme's."""

    id: str
    type: str
    programme_id: str
    partner_id: str | None
    time: datetime
    body: bytes  # the CloudEvent as sent, so every attempt is signed over the same bytes


def wants(endpoint: Endpoint, notice: Notice) -> bool:
    """Whether an endpoint is sent a notice: enabled, subscribed, its own partner's (or its programme's),
    and about a change made after the endpoint was created."""
    if not endpoint.enabled or notice.type not in endpoint.event_types:
        return False
    if notice.partner_id is None:
        owned = notice.programme_id == endpoint.programme_id
    else:
        owned = notice.partner_id == endpoint.partner_id
    return owned and notice.time >= endpoint.created_at


def may_manage(principal: Principal, endpoint: Endpoint) -> bool:
    """Admins manage every endpoint; a partner its own."""
    if principal.scope is Scope.ADMIN:
        return True
    return principal.scope is Scope.PARTNER and endpoint.partner_id == principal.partner_id


PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


@dataclass(frozen=True)
class Delivery:
    """One message for one endpoint, tried until delivered or, after its retry schedule, failed.

    `round_start` is the number of attempts made before the current round of retries (a redelivery
    starts a new round with the whole schedule).
    """

    id: str
    endpoint_id: str
    partner_id: str
    message_id: str
    type: str
    body: bytes
    created_at: datetime
    status: str = PENDING
    attempts: int = 0
    round_start: int = 0
    next_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    finished_at: datetime | None = None


def new_delivery(endpoint: Endpoint, notice: Notice, now: datetime) -> Delivery:
    return Delivery(
        id=delivery_id(endpoint.id, notice.id),
        endpoint_id=endpoint.id,
        partner_id=endpoint.partner_id,
        message_id=notice.id,
        type=notice.type,
        body=notice.body,
        created_at=now,
        next_attempt_at=now,
    )


@dataclass(frozen=True)
class Attempt:
    """One attempt at a delivery, as its sender recorded it (`ended_at` None while it is being made)."""

    number: int
    started_at: datetime
    ended_at: datetime | None = None
    status_code: int | None = None
    error: str | None = None
