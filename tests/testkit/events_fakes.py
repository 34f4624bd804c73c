"""Fakes of the events service's own storage interfaces (events.handlers.storage), for its unit tests:
no broker, no database."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from events.config import EventsSettings
from events.context import EventsContext
from events.domain.attendance import Attendance, Pending
from events.domain.catalogue import EventQuery
from events.domain.events import Event
from events.handlers.storage import KnownParticipant, Refused
from events.messages import EventMessages
from shared.contracts.topics import Topics
from shared.contracts.vocabulary import AttendanceStatus
from shared.kafka.producer import Outgoing
from shared.qr_tokens import load_public_key

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeEvents:
    rows: dict[str, Event] = field(default_factory=dict)
    sent: list[Outgoing] = field(default_factory=list)
    changed_meanwhile: bool = False  # another instance changes each event between a read and a write

    async def insert(self, event: Event, message: Outgoing) -> None:
        self.rows[event.id] = event
        self.sent.append(message)

    async def get(self, event_id: str) -> Event | None:
        return self.rows.get(event_id)

    async def for_checkin(self, event_id: str) -> Event | None:
        return self.rows.get(event_id)

    async def by_ids(self, event_ids: Iterable[str]) -> dict[str, Event]:
        return {eid: self.rows[eid] for eid in event_ids if eid in self.rows}

    async def update(self, before: Event, after: Event, message: Outgoing) -> bool:
        if self.changed_meanwhile or self.rows[before.id].version != before.version:
            return False
        self.rows[after.id] = after
        self.sent.append(message)
        return True

    async def page(self, query: EventQuery, limit: int) -> list[Event]:
        found = sorted(
            (e for e in self.rows.values() if e.programme_id == query.programme_id),
            key=lambda e: (e.starts_at, e.id),
        )
        if query.after is not None:
            found = [e for e in found if (e.starts_at, e.id) > query.after]
        return found[:limit]


@dataclass
class FakeAttendance:
    rows: dict[str, Attendance] = field(default_factory=dict)
    sent: list[Outgoing] = field(default_factory=list)
    batches: list[str] = field(default_factory=list)
    # What other requests store between a batch's read and its write.
    stored_meanwhile: list[Attendance] = field(default_factory=list)

    async def insert(self, attendance: Attendance, message: Outgoing) -> bool:
        if attendance.id in self.rows or await self.by_checkin(attendance.checkin_id):
            return False
        self.rows[attendance.id] = attendance
        self.sent.append(message)
        return True

    async def insert_batch(self, batch_id: str, attendances: Sequence[Attendance]) -> Refused:
        self.batches.append(batch_id)
        for other in self.stored_meanwhile:
            self.rows[other.id] = other
        refused = Refused()
        for position, attendance in enumerate(attendances):
            if attendance.id in self.rows:
                refused.duplicates.add(position)
            elif await self.by_checkin(attendance.checkin_id):
                refused.conflicts.add(position)
            else:
                self.rows[attendance.id] = attendance
        return refused

    async def get(self, attendance_id: str) -> Attendance | None:
        return self.rows.get(attendance_id)

    async def by_checkin(self, checkin_id: str) -> Attendance | None:
        return next((a for a in self.rows.values() if a.checkin_id == checkin_id), None)

    async def stored(self, attendance_ids: Collection[str], checkin_ids: Collection[str]) -> dict[str, str]:
        return {
            a.checkin_id: a.id
            for a in self.rows.values()
            if a.id in attendance_ids or a.checkin_id in checkin_ids
        }

    async def count_at(self, event_id: str) -> int:
        return sum(1 for a in self.rows.values() if a.event_id == event_id)

    async def release(
        self, participant_ids: Collection[str], message_of: Callable[[Pending], Outgoing]
    ) -> int:
        released = 0
        for a in list(self.rows.values()):
            if a.status is AttendanceStatus.PENDING and a.participant_id in participant_ids:
                self.rows[a.id] = replace(a, status=AttendanceStatus.RECORDED)
                self.sent.append(
                    message_of(Pending(a.id, a.programme_id, a.event_id, a.participant_id, a.partner_id))
                )
                released += 1
        return released


@dataclass
class FakeParticipants:
    known_ones: dict[str, KnownParticipant] = field(default_factory=dict)
    erased: set[str] = field(default_factory=set)

    async def known(self, participant_ids: Collection[str]) -> set[str]:
        return set(participant_ids) & set(self.known_ones)

    async def remember(self, participants: Mapping[str, KnownParticipant]) -> None:
        self.known_ones.update(participants)

    async def erased_among(self, participant_ids: Collection[str]) -> set[str]:
        return set(participant_ids) & self.erased

    async def remember_erasures(self, participant_ids: Collection[str]) -> None:
        self.erased.update(participant_ids)


@dataclass
class World:
    """A context over fakes, and the fakes, so a test can arrange what is stored and read what was sent."""

    ctx: EventsContext
    events: FakeEvents
    attendance: FakeAttendance
    participants: FakeParticipants
    qr_private_key: str


def world_of(qr_pair: tuple[str, str]) -> World:
    """A fresh world: empty fakes, a clock stopped at NOW and counted ids."""
    events, attendance, participants = FakeEvents(), FakeAttendance(), FakeParticipants()
    counter = itertools.count(1)
    settings = EventsSettings(programme_id="resilience", max_batch_records=10)
    ctx = EventsContext(
        settings=settings,
        events=events,
        attendance=attendance,
        participants=participants,
        messages=EventMessages(Topics(), "events"),
        qr_key=load_public_key(qr_pair[1]),
        clock=lambda: NOW,
        new_id=lambda: f"id-{next(counter)}",
    )
    return World(ctx, events, attendance, participants, qr_pair[0])
