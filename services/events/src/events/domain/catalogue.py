"""Finding events in the catalogue: the query of a listing and its opaque cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.domain.errors import BadCursor
from shared import cursors
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
    return cursors.encode_cursor(starts_at, event_id)


def decoded(cursor: str, *kinds: type[str] | type[datetime]) -> list[str | datetime]:
    """The sort key a cursor of this service holds; the domain's BadCursor when it issued no such cursor."""
    try:
        return cursors.decode_cursor(cursor, *kinds)
    except cursors.BadCursor as exc:
        raise BadCursor() from exc


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    starts_at, event_id = decoded(cursor, datetime, str)
    assert isinstance(starts_at, datetime)
    assert isinstance(event_id, str)
    return starts_at, event_id
