"""The one place the events service says how each refusal of its domain is answered (RFC 9457).

A request refused whole and a record of a batch refused alone are answered alike: the same status, type and
title, and a detail that says why.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from events.domain.errors import (
    BadCursor,
    BatchTooLarge,
    CheckinIdConflict,
    ConcurrentChange,
    EventCancelled,
    EventNotFound,
    EventsError,
    InvalidQrToken,
    NotAllowed,
    NotAuthenticated,
    ParticipantErased,
    QrCheckinUnavailable,
    RuleBroken,
)
from shared.http.problems import Answer, ProblemError, install_domain_problems, problem_document, problem_from

# The status, type (a slug under /problems/, or None for about:blank) and title of each refusal.
PROBLEMS: dict[type[EventsError], Answer] = {
    NotAuthenticated: (401, None, "Authentication required"),
    NotAllowed: (403, "forbidden", "Forbidden"),
    EventNotFound: (404, "event-not-found", "Event not found"),
    EventCancelled: (409, "event-cancelled", "Event cancelled"),
    ParticipantErased: (410, "participant-erased", "Participant erased"),
    CheckinIdConflict: (409, "checkin-id-conflict", "Check-in id reused"),
    RuleBroken: (422, "validation", "Invalid input"),
    BadCursor: (400, "bad-cursor", "Bad cursor"),
    ConcurrentChange: (409, "conflict", "Concurrent change"),
    BatchTooLarge: (413, "batch-too-large", "Batch too large"),
    InvalidQrToken: (422, "invalid-qr-token", "Invalid QR token"),
    QrCheckinUnavailable: (503, None, "QR check-in unavailable"),
}


def problem_of(error: EventsError) -> ProblemError:
    return problem_from(PROBLEMS, error)


def record_problem(error: EventsError) -> dict[str, Any]:
    """The error of one refused record of a batch: the problem the same refusal of a request would be."""
    problem = problem_of(error)
    return problem_document(problem.status, problem.title, problem.detail, type_=problem.type_)


def install(app: FastAPI) -> None:
    install_domain_problems(app, EventsError, problem_of)
