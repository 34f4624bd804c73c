"""What the handlers need of storage: the interfaces repository/ implements against MongoDB.

Each write that says something to other services takes its message, which the store keeps in its outbox and
publishes (docs/architecture.md, Topics and event contracts): a handler never sees a document or an outbox.
Unit tests fake these interfaces.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from events.domain.attendance import Attendance, AttendanceQuery, Pending
from events.domain.catalogue import EventQuery
from events.domain.events import Event
from shared.kafka.producer import Outgoing


@dataclass(frozen=True)
class KnownParticipant:
    """What this service keeps of a participant registration made: enough to accept its attendance."""

    partner_id: str
    programme_id: str
    erased: bool = False


@dataclass(frozen=True)
class Refused:
    """Positions of a bulk insert refused because another request stored the same thing meanwhile."""

    duplicates: set[int] = field(default_factory=set)  # the same (event, participant)
    conflicts: set[int] = field(default_factory=set)  # the same checkin_id, for another attendance


class EventStore(Protocol):
    async def insert(self, event: Event, message: Outgoing) -> None: ...

    async def get(self, event_id: str) -> Event | None: ...

    async def for_checkin(self, event_id: str) -> Event | None:
        """The event as this instance looked it up at most `event_hold_s` ago (a cancelled one for good)."""
        ...

    async def by_ids(self, event_ids: Iterable[str]) -> dict[str, Event]: ...

    async def update(self, before: Event, after: Event, message: Outgoing) -> bool:
        """Store `after` if the event is still at `before`'s version; False when another change came first."""
        ...

    async def page(self, query: EventQuery, limit: int) -> list[Event]: ...


class AttendanceStore(Protocol):
    async def insert(self, attendance: Attendance, message: Outgoing) -> bool:
        """Store it with its message; False when its (event, participant) or checkin_id is stored already."""
        ...

    async def insert_batch(self, batch_id: str, attendances: Sequence[Attendance]) -> Refused:
        """Store a bulk upload's attendance, each with its recorded event, and say which were refused."""
        ...

    async def get(self, attendance_id: str) -> Attendance | None: ...

    async def by_checkin(self, checkin_id: str) -> Attendance | None: ...

    async def stored(self, attendance_ids: Collection[str], checkin_ids: Collection[str]) -> dict[str, str]:
        """The stored attendance with any of these ids or checkin ids: checkin id -> attendance id."""
        ...

    async def count_at(self, event_id: str) -> int: ...

    async def page(self, query: AttendanceQuery, limit: int) -> list[Attendance]:
        """Up to `limit` attendances matching `query`, in id order."""
        ...

    async def release(
        self, participant_ids: Collection[str], message_of: Callable[[Pending], Outgoing]
    ) -> int:
        """Pending attendance of these participants becomes recorded, each with its message; returns how many."""
        ...


class ParticipantStore(Protocol):
    async def known(self, participant_ids: Collection[str]) -> set[str]: ...

    async def remember(self, participants: Mapping[str, KnownParticipant]) -> None: ...

    async def erased_among(self, participant_ids: Collection[str]) -> set[str]:
        """Which of these were erased, asked of the database every time (docs/privacy.md, Erasure in events)."""
        ...

    async def remember_erasures(self, participant_ids: Collection[str]) -> None: ...
