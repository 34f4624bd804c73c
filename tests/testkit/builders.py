"""Builders of test facts, in one place."""

from __future__ import annotations

from shared.contracts.payloads import AttendanceRecorded


def attendance(n: int, event_id: str = "e1", partner_id: str = "ucl") -> AttendanceRecorded:
    return AttendanceRecorded.model_validate(
        {
            "attendance_id": f"a{n}",
            "programme_id": "resilience",
            "event_id": event_id,
            "participant_id": f"p{n}",
            "partner_id": partner_id,
            "checkin_id": f"c{n}",
            "checked_in_at": "2026-03-01T10:00:00+00:00",
        }
    )
