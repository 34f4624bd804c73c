"""Opaque random ids: a prefix naming the kind, then 128 random bits."""

from __future__ import annotations

import uuid

PARTICIPANT, PARTNER, ORGANISATION = "par", "prt", "org"


def new_id(kind: str) -> str:
    return f"{kind}_{uuid.uuid4().hex}"
