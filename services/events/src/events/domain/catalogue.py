"""Finding events in the catalogue: the query of a listing and its opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from events.domain.errors import BadCursor
from shared.contracts.vocabulary import EventKind, Nation


@dataclass(frozen=True)
class EventQuery:
    """A page of a programme's events by (starts_at, id), after the cursor's position when there is one."""

    programme_id: str
    kind: EventKind | None = None
    partner_id: str | None = None
    nation: Nation | None = None
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    after: tuple[datetime, str] | None = None


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
        raise BadCursor() from exc
    if moment.tzinfo is None or not isinstance(event_id, str):
        raise BadCursor()
    return moment, event_id
