"""Opaque random ids: a prefix naming the kind, then 128 random bits."""

from __future__ import annotations

import uuid

PARTICIPANT, PARTNER, ORGANISATION = "par", "prt", "org"


def new_id(kind: str, derived: uuid.UUID | None = None) -> str:
    """A random id of a kind, or the one derived from a request's Idempotency-Key (shared.http.idempotency)."""
    return f"{kind}_{(derived or uuid.uuid4()).hex}"
