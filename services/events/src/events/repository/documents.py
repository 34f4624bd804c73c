"""How events and attendance are stored: the only mapping between documents and the domain."""

from __future__ import annotations

from events.domain.attendance import Attendance, Pending
from events.domain.events import Event
from events.handlers.storage import KnownParticipant
from shared.contracts.vocabulary import AttendanceStatus, EventKind, EventStatus, Nation
from shared.mongo.batch_outbox import BATCH_FIELD
from shared.mongo.client import Document

# Held by pending attendance only, naming the participant it waits for. Indexed, it finds what a newly known
# participant releases while recorded attendance, which lacks it, costs the index nothing per insert: an index
# on (participant_id, status) took ~25% of FerretDB's CPU in a bulk ingest of recorded attendance.
AWAITING_FIELD = "awaiting_participant"


def event_document(event: Event) -> Document:
    return {"_id": event.id, **event_fields(event)}


def event_fields(event: Event) -> Document:
    """Every field of a stored event but its id (and its outbox)."""
    return {
        "programme_id": event.programme_id,
        "partner_id": event.partner_id,
        "title": event.title,
        "kind": event.kind.value,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "nation": event.nation.value,
        "region": event.region,
        "venue": event.venue,
        "capacity": event.capacity,
        "status": event.status.value,
        "version": event.version,
        "created_at": event.created_at,
        "updated_at": event.updated_at,
    }


def event_from(doc: Document) -> Event:
    return Event(
        id=doc["_id"],
        programme_id=doc["programme_id"],
        partner_id=doc["partner_id"],
        title=doc["title"],
        kind=EventKind(doc["kind"]),
        starts_at=doc["starts_at"],
        ends_at=doc["ends_at"],
        nation=Nation(doc["nation"]),
        region=doc.get("region"),
        venue=doc.get("venue"),
        capacity=doc.get("capacity"),
        status=EventStatus(doc["status"]),
        version=doc["version"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )


def attendance_document(attendance: Attendance) -> Document:
    doc = {
        "_id": attendance.id,
        "programme_id": attendance.programme_id,
        "event_id": attendance.event_id,
        "participant_id": attendance.participant_id,
        "partner_id": attendance.partner_id,
        "checkin_id": attendance.checkin_id,
        "checked_in_at": attendance.checked_in_at,
        "recorded_at": attendance.recorded_at,
        "status": attendance.status.value,
        BATCH_FIELD: attendance.batch_id,
    }
    if attendance.status is AttendanceStatus.PENDING:
        doc[AWAITING_FIELD] = attendance.participant_id
    return doc


def attendance_from(doc: Document) -> Attendance:
    return Attendance(
        id=doc["_id"],
        programme_id=doc["programme_id"],
        event_id=doc["event_id"],
        participant_id=doc["participant_id"],
        partner_id=doc["partner_id"],
        checkin_id=doc["checkin_id"],
        checked_in_at=doc["checked_in_at"],
        recorded_at=doc.get("recorded_at"),
        status=AttendanceStatus(doc["status"]),
        batch_id=doc.get(BATCH_FIELD),
    )


# What the release of a pending attendance reads of it.
PENDING_FIELDS = {f: 1 for f in ("programme_id", "event_id", "participant_id", "partner_id", AWAITING_FIELD)}


def pending_from(doc: Document) -> Pending:
    return Pending(doc["_id"], doc["programme_id"], doc["event_id"], doc["participant_id"], doc["partner_id"])


def known_participant_fields(known: KnownParticipant) -> Document:
    fields: Document = {"partner_id": known.partner_id, "programme_id": known.programme_id}
    if known.erased:  # erasure removes personal data elsewhere; the pseudonymous id stays known
        fields["erased"] = True
    return fields
