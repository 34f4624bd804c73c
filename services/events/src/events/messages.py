"""The only place the events service builds the events it publishes: event changes and attendance."""

from __future__ import annotations

from datetime import datetime

from events.config import EventsSettings
from shared.contracts.envelope import CloudEvent, new_event
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    AttendanceRecorded,
    AttendanceReleased,
    EventChanged,
)
from shared.kafka.producer import Encoded
from shared.mongo.batch_outbox import Batch, MessageOf
from shared.mongo.client import Document
from shared.mongo.outbox import outbox_entry


def source_of(settings: EventsSettings) -> str:
    """The CloudEvents `source` of what this service emits."""
    return f"/{settings.service_name}"


def changed_entry(settings: EventsSettings, event: Document, type_: str) -> Document:
    """The outbox entry of an event's new state (scheduled, updated or cancelled)."""
    payload = EventChanged(
        event_id=event["_id"],
        programme_id=event["programme_id"],
        partner_id=event["partner_id"],
        version=event["version"],
        kind=event["kind"],
        title=event["title"],
        starts_at=event["starts_at"],
        ends_at=event["ends_at"],
        nation=event["nation"],
        region=event.get("region"),
        status=event["status"],
    )
    cloud_event = new_event(source=source_of(settings), type=type_, subject=event["_id"], data=payload)
    return outbox_entry(settings.topics.events, event["_id"], cloud_event)


def recorded_event(
    source: str, doc: Document, *, id: str | None = None, time: datetime | None = None
) -> CloudEvent:
    """The AttendanceRecorded event of a stored attendance: everything it says is on the document."""
    payload = AttendanceRecorded(
        attendance_id=doc["_id"],
        programme_id=doc["programme_id"],
        event_id=doc["event_id"],
        participant_id=doc["participant_id"],
        partner_id=doc["partner_id"],
        checkin_id=doc["checkin_id"],
        checked_in_at=doc["checked_in_at"],
        status=doc["status"],
    )
    return new_event(
        source=source, type=ATTENDANCE_RECORDED, subject=doc["_id"], data=payload, id=id, time=time
    )


def batch_message_of(settings: EventsSettings) -> MessageOf:
    """How the batch outbox builds the event of an attendance a bulk request stored."""
    topic, source = settings.topics.attendance, source_of(settings)

    def message_of(doc: Document, batch: Batch) -> Encoded:
        event = recorded_event(source, doc, id=batch.event_id(doc), time=batch.created)
        return batch.message(topic, doc["participant_id"], event)

    return message_of


def recorded_entry(settings: EventsSettings, doc: Document) -> Document:
    """The outbox entry of a door check-in's AttendanceRecorded event, keyed by its participant."""
    event = recorded_event(source_of(settings), doc)
    return outbox_entry(settings.topics.attendance, doc["participant_id"], event)


def released_entry(settings: EventsSettings, doc: Document, released_at: datetime) -> Document:
    """The outbox entry saying a pending attendance is now recorded, keyed by its participant.

    An attendance is released once, so its id names the attendance: built twice, it is the same event.
    """
    payload = AttendanceReleased(
        attendance_id=doc["_id"],
        programme_id=doc["programme_id"],
        event_id=doc["event_id"],
        participant_id=doc["participant_id"],
        partner_id=doc["partner_id"],
        released_at=released_at,
    )
    event = new_event(
        source=source_of(settings),
        type=ATTENDANCE_RELEASED,
        subject=doc["_id"],
        data=payload,
        id=f"{doc['_id']}/released",
        time=released_at,
    )
    return outbox_entry(settings.topics.attendance, doc["participant_id"], event)
