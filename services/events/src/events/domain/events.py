"""Programme events: what a partner schedules, and how a change makes a new version of one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from events.domain.errors import EventCancelled
from events.domain.rules import check_event_window
from shared.contracts.vocabulary import EventKind, EventStatus, Nation


@dataclass(frozen=True)
class EventDetails:
    """What a partner states about an event it schedules."""

    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    nation: Nation
    region: str | None = None
    venue: str | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class Event:
    id: str
    programme_id: str
    partner_id: str
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    nation: Nation
    region: str | None
    venue: str | None
    capacity: int | None
    status: EventStatus
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED


def schedule(
    *, event_id: str, programme_id: str, partner_id: str, details: EventDetails, now: datetime
) -> Event:
    check_event_window(details.starts_at, details.ends_at)
    return Event(
        id=event_id,
        programme_id=programme_id,
        partner_id=partner_id,
        title=details.title,
        kind=details.kind,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        nation=details.nation,
        region=details.region,
        venue=details.venue,
        capacity=details.capacity,
        status=EventStatus.SCHEDULED,
        version=1,
        created_at=now,
        updated_at=now,
    )


def change(event: Event, changes: Mapping[str, Any], now: datetime) -> Event | None:
    """The next version of the event, or None when nothing changes.

    A cancelled event cannot be changed (cancelling is final), and no change may end an event before it starts.
    """
    if event.cancelled:
        raise EventCancelled("A cancelled event cannot be changed.")
    changed = {name: value for name, value in changes.items() if getattr(event, name) != value}
    if not changed:
        return None
    after = replace(event, **changed, version=event.version + 1, updated_at=now)
    check_event_window(after.starts_at, after.ends_at)
    return after
