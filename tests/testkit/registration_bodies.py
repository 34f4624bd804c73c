"""Builders of registration request bodies and forwarded identities, for any service's tests."""

from __future__ import annotations

import uuid
from typing import Any

from shared.contracts.identity import Principal, Scope
from testkit.principals import admin_for, signed_for


def participant_body(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /v1/participants` body: a consenting trainee with demographics; override any field."""
    ref = overrides.pop("partner_ref", None) or f"ref-{uuid.uuid4().hex[:10]}"
    body: dict[str, Any] = {
        "partner_ref": ref,
        "role": "trainee",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email": f"{ref}@example.ac.uk",
        "gender": "female",
        "ethnicity": "white",
        "nation": "england",
        "region": "London",
        "consent": {"data_processing": True, "demographics": True},
    }
    body.update(overrides)
    return body


def without_demographics(**overrides: Any) -> dict[str, Any]:
    """A valid body of someone who did not consent to demographics."""
    overrides.setdefault("consent", {"data_processing": True, "demographics": False})
    body = participant_body(**overrides)
    for field in ("gender", "ethnicity", "nation", "region"):
        if field not in overrides:
            del body[field]
    return body


def admin_headers() -> dict[str, str]:
    return admin_for("registration", key_id="test-admin")


def partner_headers(partner_id: str) -> dict[str, str]:
    principal = Principal(scope=Scope.PARTNER, partner_id=partner_id, key_id=f"key-{partner_id}")
    return signed_for("registration", principal)
