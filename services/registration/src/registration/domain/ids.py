"""Opaque random ids: a prefix naming the kind, then 128 random bits."""

from __future__ import annotations

import uuid


def new_participant_id() -> str:
    return f"par_{uuid.uuid4().hex}"


def new_partner_id() -> str:
    return f"prt_{uuid.uuid4().hex}"


def new_organisation_id() -> str:
    return f"org_{uuid.uuid4().hex}"
