"""What partners' webhook endpoints receive: thin CloudEvents, told from the fact topics (docs/webhooks.md).

A delivery's `data` is a subset of the fact it tells of: ids, versions and states, never personal data or a
participant's demographic categories. Milestones are told from the public figures only, so no webhook
says more than the public dashboard.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    PARTICIPANT_ERASED,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    AttendanceRecorded,
    AttendanceReleased,
    ParticipantErased,
    Payload,
)
from shared.contracts.vocabulary import Role

MILESTONE_REACHED = "pulse.milestone.reached.v1"


class ParticipantNotice(Payload):
    """A participant of the partner was registered or updated; read it with GET /v1/participants/{id}."""

    participant_id: str
    programme_id: str
    partner_id: str
    version: int = Field(ge=1)
    role: Role


class MilestoneReached(Payload):
    """A public headline counter of the programme reached a milestone: a multiple of the step, or its target."""

    programme_id: str
    counter: str
    kind: Literal["step", "target"]
    milestone: int = Field(ge=1, description="the multiple of the step, or the target, now reached")
    reached_at: AwareDatetime


# Every type a webhook endpoint may subscribe to, and the model of its `data`.
WEBHOOK_PAYLOADS: dict[str, type[Payload]] = {
    PARTICIPANT_REGISTERED: ParticipantNotice,
    PARTICIPANT_UPDATED: ParticipantNotice,
    PARTICIPANT_ERASED: ParticipantErased,
    ATTENDANCE_RECORDED: AttendanceRecorded,
    ATTENDANCE_RELEASED: AttendanceReleased,
    MILESTONE_REACHED: MilestoneReached,
}
