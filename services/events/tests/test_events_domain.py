"""Pure rules of the events domain: batch planning, the listing cursor, check-in times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from events.domain.attendance import Claim, Outcome, plan_batch
from events.domain.catalogue import decode_cursor, encode_cursor
from events.domain.errors import (
    BadCursor,
    CheckinIdConflict,
    EventCancelled,
    EventNotFound,
    NotAllowed,
    ParticipantErased,
    RuleBroken,
)
from events.domain.events import Event, EventDetails, schedule
from events.domain.rules import check_checkin_time
from shared.contracts.vocabulary import AttendanceStatus, EventKind, EventStatus, Nation

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DETAILS = EventDetails("Flood training", EventKind.TRAINING, NOW, NOW + timedelta(hours=8), Nation.WALES)


def event(event_id: str, partner_id: str, *, cancelled: bool = False) -> Event:
    scheduled = schedule(
        event_id=event_id, programme_id="resilience", partner_id=partner_id, details=DETAILS, now=NOW
    )
    return replace(scheduled, status=EventStatus.CANCELLED) if cancelled else scheduled


EVENTS = {"e1": event("e1", "ucl"), "e2": event("e2", "teesside"), "e3": event("e3", "ucl", cancelled=True)}


def claim(event_id: str, participant_id: str, checkin_id: str) -> Claim:
    return Claim(event_id, participant_id, checkin_id, NOW)


def test_the_plan_decides_each_record_against_storage_and_the_batch_itself() -> None:
    items = [
        claim("e1", "p1", "c1"),  # known participant: recorded
        claim("e1", "p2", "c2"),  # unknown: pending
        claim("e1", "p1", "c3"),  # same pair again: duplicate
        claim("e1", "p9", "c9"),  # stored earlier: duplicate
        claim("e1", "p3", "c1"),  # checkin id taken in this batch
        claim("e1", "p4", "c-old"),  # checkin id taken in storage
        claim("e2", "p1", "c5"),
        claim("e3", "p1", "c6"),
        claim("e404", "p1", "c7"),
        claim("e1", "p-erased", "c8"),  # erased: refused, even though known
    ]

    plan = plan_batch(
        items,
        events=EVENTS,
        partner_id="ucl",
        stored_ids={"e1:p9"},
        stored_checkins={"c-old": "e1:p8", "c9": "e1:p9"},
        known_participants={"p1", "p-erased"},
        erased_participants={"p-erased"},
    )

    assert [(index, status) for index, _, status in plan.to_insert] == [
        (0, AttendanceStatus.RECORDED),
        (1, AttendanceStatus.PENDING),
    ]
    decided = [(r.outcome, r.attendance_id, type(r.error)) if r else None for r in plan.results]
    assert decided == [
        None,
        None,
        (Outcome.DUPLICATE, "e1:p1", type(None)),
        (Outcome.DUPLICATE, "e1:p9", type(None)),
        (Outcome.ERROR, None, CheckinIdConflict),
        (Outcome.ERROR, None, CheckinIdConflict),
        (Outcome.ERROR, None, NotAllowed),
        (Outcome.ERROR, None, EventCancelled),
        (Outcome.ERROR, None, EventNotFound),
        (Outcome.ERROR, None, ParticipantErased),
    ]


def test_an_admin_records_at_any_partners_event() -> None:
    plan = plan_batch(
        [claim("e2", "p1", "c1")],
        events=EVENTS,
        partner_id=None,
        stored_ids=set(),
        stored_checkins={},
        known_participants=set(),
        erased_participants=set(),
    )
    assert [status for _, _, status in plan.to_insert] == [AttendanceStatus.PENDING]


def test_the_cursor_round_trips_and_refuses_forgeries() -> None:
    assert decode_cursor(encode_cursor(NOW, "e1")) == (NOW, "e1")
    for forged in ("", "!!!", "WzFd", "eyJhIjogMX0"):
        with pytest.raises(BadCursor):
            decode_cursor(forged)


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(minutes=4), True),
        (timedelta(minutes=6), False),
        (-timedelta(days=730), True),  # a partner uploading a two-year programme's history
        (datetime(1999, 12, 31, tzinfo=UTC) - NOW, False),
    ],
)
def test_checkin_times_allow_clock_skew_and_history_but_not_the_future_or_another_century(
    offset: timedelta, accepted: bool
) -> None:
    if accepted:
        check_checkin_time(NOW + offset, NOW)
    else:
        with pytest.raises(RuleBroken):
            check_checkin_time(NOW + offset, NOW)
