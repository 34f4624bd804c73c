"""What each fact tells partners' endpoints: the thin CloudEvent a webhook delivers (docs/webhooks.md)."""

from __future__ import annotations

from datetime import datetime

from gateway.domain.milestones import Reached
from gateway.domain.webhooks import Notice, message_id
from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import (
    AttendanceRecorded,
    AttendanceReleased,
    ParticipantChanged,
    ParticipantErased,
    Payload,
)
from shared.contracts.webhooks import MILESTONE_REACHED, MilestoneReached, ParticipantNotice

MILESTONE_SOURCE = "/gateway"


Told = ParticipantChanged | ParticipantErased | AttendanceRecorded | AttendanceReleased


def notice_of(fact: CloudEvent, data: Told) -> Notice:
    """The notice a fact gives its partner's endpoints: its own type, time and subject, with thin data.

    A participant's change is told without the demographic categories it carries.
    """
    told = data if not isinstance(data, ParticipantChanged) else _thin(data)
    return _told(fact, told, data.programme_id, data.partner_id)


def _thin(changed: ParticipantChanged) -> ParticipantNotice:
    return ParticipantNotice(
        participant_id=changed.participant_id,
        programme_id=changed.programme_id,
        partner_id=changed.partner_id,
        version=changed.version,
        role=changed.role,
    )


def milestone_notice(programme_id: str, milestone: Reached, at: datetime) -> Notice:
    """The notice of a milestone, for every endpoint of the programme; its id names the milestone."""
    told = f"milestone:{programme_id}:{milestone.counter}:{milestone.kind}:{milestone.milestone}"
    data = MilestoneReached(
        programme_id=programme_id,
        counter=milestone.counter,
        kind=milestone.kind,
        milestone=milestone.milestone,
        reached_at=at,
    )
    event = CloudEvent(
        id=message_id(f"{MILESTONE_SOURCE}\n{told}"),
        source=MILESTONE_SOURCE,
        type=MILESTONE_REACHED,
        time=at,
        subject=programme_id,
        data=data.model_dump(mode="json"),
    )
    return _notice(event, programme_id, None)


def _told(fact: CloudEvent, data: Payload, programme_id: str, partner_id: str) -> Notice:
    """The fact's own type, time and subject, with thin data and an id derived from the fact's."""
    event = CloudEvent(
        id=message_id(f"{fact.source}\n{fact.id}"),
        source=fact.source,
        type=fact.type,
        time=fact.time,
        subject=fact.subject,
        data=data.model_dump(mode="json", exclude_none=True),
    )
    return _notice(event, programme_id, partner_id)


def _notice(event: CloudEvent, programme_id: str, partner_id: str | None) -> Notice:
    return Notice(
        id=event.id,
        type=event.type,
        programme_id=programme_id,
        partner_id=partner_id,
        time=event.time,
        body=event.model_dump_json(exclude_none=True).encode(),
    )
