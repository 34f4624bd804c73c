"""A bulk upload's events, encoded in one step, are the bytes the payload and envelope models give."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events.domain.attendance import Attendance
from events.messages import EventMessages
from shared.contracts.topics import Topics
from shared.contracts.vocabulary import AttendanceStatus
from shared.mongo.batch_outbox import Batch

MESSAGES = EventMessages(Topics(prefix="t."), "events")


def attendance(status: AttendanceStatus, at: datetime, participant_id: str = "p-1") -> Attendance:
    return Attendance(
        id=f"e-1:{participant_id}",
        programme_id="resilience",
        event_id="e-1",
        participant_id=participant_id,
        partner_id="ucl",
        checkin_id="8f5d7c1e-3b7a-4c41-9a55-2f0d8c6e1a10",
        checked_in_at=at,
        recorded_at=at,
        status=status,
        batch_id="b-1",
    )


@pytest.mark.parametrize("status", list(AttendanceStatus))
@pytest.mark.parametrize(
    "at", [datetime(2026, 6, 1, 9, 12, tzinfo=UTC), datetime(2026, 6, 1, 9, 12, 0, 5, tzinfo=UTC)]
)
@pytest.mark.parametrize("participant_id", ["p-1", "Ünïcödé-ø", 'quote"back\\slash'])
def test_a_batch_event_encoded_at_once_is_the_models_event(
    status: AttendanceStatus, at: datetime, participant_id: str
) -> None:
    batch = Batch(
        "b-1", "attendance", 1, datetime(2026, 6, 1, 10, 0, 0, 123000, tzinfo=UTC), {"x-request-id": "r"}
    )
    one = attendance(status, at, participant_id)
    event_id = f"b-1/{one.id}"

    fast = MESSAGES.recorded_in(batch, one, event_id)

    assert fast == batch.message(MESSAGES.recorded(one, id=event_id, time=batch.created))
