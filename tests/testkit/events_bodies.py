"""Request bodies and identity headers for the events service, shared by its tests, the gateway's and the demo."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.contracts.identity import Principal, Scope
from testkit.principals import admin_for, signed_for


def as_admin() -> dict[str, str]:
    return admin_for("events")


def as_partner(partner_id: str) -> dict[str, str]:
    return signed_for(
        "events", Principal(scope=Scope.PARTNER, partner_id=partner_id, key_id=f"k-{partner_id}")
    )


def as_door(event_id: str, partner_id: str) -> dict[str, str]:
    """A door device's check-in key: confined to one event."""
    principal = Principal(scope=Scope.CHECKIN, partner_id=partner_id, event_id=event_id, key_id="k-door")
    return signed_for("events", principal)


def event_body(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /v1/events` body: a two-hour training tomorrow in England."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    body: dict[str, Any] = {
        "title": "Flood resilience training",
        "kind": "training",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "nation": "england",
        "region": "London",
        "venue": "UCL East",
        "capacity": 40,
    }
    body.update(overrides)
    return body


def recent(minutes: int = 5) -> str:
    """A check-in time a few minutes ago, as a device would send it."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def checkin_body(
    participant_id: str | None = None, *, qr_token: str | None = None, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"checkin_id": str(uuid.uuid4()), "checked_in_at": recent()}
    if participant_id is not None:
        body["participant_id"] = participant_id
    if qr_token is not None:
        body["qr_token"] = qr_token
    body.update(overrides)
    return body


def attendance_record(event_id: str, participant_id: str, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event_id": event_id,
        "participant_id": participant_id,
        "checkin_id": str(uuid.uuid4()),
        "checked_in_at": recent(),
    }
    record.update(overrides)
    return record


def batch_body(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"records": list(records)}


def participant_ids(count: int, prefix: str = "p") -> list[str]:
    """Fresh pseudonymous participant ids."""
    return [f"{prefix}-{uuid.uuid4().hex[:16]}" for _ in range(count)]
