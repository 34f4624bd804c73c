"""Rules of the event catalogue: what an update changes, and the opaque listing cursor."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from events.domain.rules import RuleBroken, check_event_window

SCHEDULED = "scheduled"
CANCELLED = "cancelled"


def apply_changes(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that really change; refuses changes to a cancelled event and an inverted window."""
    if current["status"] == CANCELLED:
        raise RuleBroken("a cancelled event cannot be changed")
    changed = {name: value for name, value in changes.items() if current.get(name) != value}
    check_event_window(
        changed.get("starts_at", current["starts_at"]), changed.get("ends_at", current["ends_at"])
    )
    return changed


def encode_cursor(starts_at: datetime, event_id: str) -> str:
    """Where the next page starts: after this (starts_at, id) in listing order."""
    raw = json.dumps([starts_at.isoformat(), event_id]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        starts_at, event_id = json.loads(raw)
        moment = datetime.fromisoformat(starts_at)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise RuleBroken("cursor is not one this service issued") from exc
    if moment.tzinfo is None or not isinstance(event_id, str):
        raise RuleBroken("cursor is not one this service issued")
    return moment, event_id
