"""Opaque random ids: a prefix naming the kind, then 128 random bits."""

from __future__ import annotations

import uuid


def new_participant_id() -> str:
    return f"par_{uuid.uuid4().hex}"


def new_partner_id(derived: uuid.UUID | None = None) -> str:
    """A random id, or the one derived from a request's Idempotency-Key (shared.http.idempotency)."""
    return f"prt_{(derived or uuid.uuid4()).hex}"


def new_organisation_id() -> str:
    return f"org_{uuid.uuid4().hex}"
