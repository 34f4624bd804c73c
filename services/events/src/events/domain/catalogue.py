"""Rules of the event catalogue: what an update changes, and the opaque listing cursor."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from events.domain.rules import RuleBroken, check_event_window
from shared import cursors

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
    return cursors.encode_cursor(starts_at, event_id)


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        starts_at, event_id = cursors.decode_cursor(cursor, datetime, str)
    except cursors.BadCursor as exc:
        raise RuleBroken(str(exc)) from exc
    assert isinstance(starts_at, datetime)
    assert isinstance(event_id, str)
    return starts_at, event_id
