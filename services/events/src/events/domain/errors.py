"""What the events domain refuses, and why: one exception each; routes/problems.py says how each is answered."""

from __future__ import annotations

from shared.refusals import Refusal


class EventsError(Refusal):
    """A command refused by a rule of events; the message says why, without echoing personal data."""

    default = "The request breaks a rule of the events service."


class NotAuthenticated(EventsError):
    default = "Send an API key as 'Authorization: Bearer <key>'."


class NotAllowed(EventsError):
    default = "This key's scope does not allow this operation."


class EventNotFound(EventsError):
    default = "No event has this id."


class EventCancelled(EventsError):
    default = "A cancelled event takes no attendance."


class ParticipantErased(EventsError):
    default = "This participant's personal data was erased; no attendance is recorded for them."


class CheckinIdConflict(EventsError):
    default = "This checkin_id already records another attendance."


class RuleBroken(EventsError, ValueError):
    """An input breaks a rule (a ValueError too, so request models may apply the same rules)."""


class BadCursor(EventsError):
    default = "cursor is not one this service issued"


class ConcurrentChange(EventsError):
    default = "The event changed meanwhile; read it and try again."


class BatchTooLarge(EventsError):
    pass


class InvalidQrToken(EventsError):
    pass


class QrCheckinUnavailable(EventsError):
    default = "No QR verification key is configured."
