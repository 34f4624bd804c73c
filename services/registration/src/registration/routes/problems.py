"""The one place registration says how each refusal of its domain is answered (RFC 9457).

A request refused whole and an item of a batch refused alone are answered alike: the same status, type and
title, and a detail that says why.
"""

from __future__ import annotations

from fastapi import FastAPI

from registration.domain.errors import (
    BatchTooLarge,
    ConcurrentChange,
    InvalidParticipant,
    ParticipantErased,
    ParticipantNotFound,
    PartnerNotFound,
    QrNotConfigured,
    RegistrationError,
    UnknownOrganisation,
    UnknownPartner,
)
from registration.routes.schemas import ItemError
from shared.http.problems import ProblemError, install_domain_problems, problem_from

# The status, type (a slug under /problems/) and title of each refusal.
PROBLEMS: dict[type[RegistrationError], tuple[int, str, str]] = {
    PartnerNotFound: (404, "not-found", "Partner not found"),
    UnknownPartner: (403, "unknown-partner", "Unknown partner"),
    ParticipantNotFound: (404, "not-found", "Participant not found"),
    ParticipantErased: (410, "erased", "Participant erased"),
    ConcurrentChange: (409, "conflict", "Conflict"),
    BatchTooLarge: (413, "batch-too-large", "Batch too large"),
    InvalidParticipant: (422, "validation", "Invalid participant"),
    UnknownOrganisation: (422, "unknown-organisation", "Unknown organisation"),
    QrNotConfigured: (503, "qr-not-configured", "QR signing not configured"),
}


def problem_of(error: RegistrationError) -> ProblemError:
    problem = problem_from(PROBLEMS, error)
    if error.errors:
        problem.extra["errors"] = error.errors
    return problem


def item_error(error: RegistrationError) -> ItemError:
    """The error of one refused item of a batch: the problem the same refusal of a request would be."""
    problem = problem_of(error)
    return ItemError(
        type=f"/problems/{problem.type_}",
        title=problem.title,
        status=problem.status,
        detail=problem.detail or "",
        errors=error.errors,
    )


def install(app: FastAPI) -> None:
    install_domain_problems(app, RegistrationError, problem_of)
