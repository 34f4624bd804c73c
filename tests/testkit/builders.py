"""Builders of test facts, in one place."""

from __future__ import annotations

from typing import Any

from shared.contracts.payloads import AttendanceRecorded, ParticipantChanged


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


def participant(participant_id: str, partner_id: str = "ucl", **extra: Any) -> ParticipantChanged:
    """What registration publishes of a new participant (version 1, a student unless `extra` says)."""
    fields: dict[str, Any] = {
        "participant_id": participant_id,
        "programme_id": "resilience",
        "partner_id": partner_id,
        "version": 1,
        "role": "student",
        "consent_data_processing": True,
        "consent_demographics": False,
    }
    return ParticipantChanged.model_validate({**fields, **extra})
