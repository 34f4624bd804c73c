"""The one place the gateway says how each of its refusals is answered (RFC 9457): its domain errors, and
the problems that carry response headers (WWW-Authenticate, Retry-After)."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.domain.errors import (
    BatchTooLarge,
    CountersNotYetReceived,
    DeliveryInProgress,
    Forbidden,
    GatewayError,
    InvalidRequest,
    NotFound,
    QrReaderMissing,
    QrVerificationNotConfigured,
    TooManyWebhooks,
    UpstreamUnclear,
)
from shared.http.problems import Answer, ProblemError, install_domain_problems, problem_from

# The status, type (a slug under /problems/, or None for about:blank) and title of each refusal.
PROBLEMS: dict[type[GatewayError], Answer] = {
    NotFound: (404, "not-found", "Not found"),
    Forbidden: (403, "forbidden", "Forbidden"),
    InvalidRequest: (422, "validation", "Invalid request"),
    BatchTooLarge: (413, "batch-too-large", "Batch too large"),
    TooManyWebhooks: (409, "limit", "Too many webhooks"),
    DeliveryInProgress: (409, "conflict", "Conflict"),
    UpstreamUnclear: (502, None, "Bad gateway"),
    CountersNotYetReceived: (503, "counters-unavailable", "Counters not available yet"),
    QrVerificationNotConfigured: (503, "qr-not-configured", "QR verification not configured"),
    QrReaderMissing: (404, "door-scanner-missing", "QR reader not installed"),
}
RETRY_AFTER_S: dict[type[GatewayError], int] = {CountersNotYetReceived: 5}


def problem_of(error: GatewayError) -> ProblemError:
    retry_after = RETRY_AFTER_S.get(type(error))
    return problem_from(PROBLEMS, error, headers={"Retry-After": str(retry_after)} if retry_after else None)


def install(app: FastAPI) -> None:
    install_domain_problems(app, GatewayError, problem_of)


def unauthorised(detail: str) -> ProblemError:
    return ProblemError(
        401, "Unauthorized", detail, type_="unauthorized", headers={"WWW-Authenticate": "Bearer"}
    )


def too_many_requests(retry_after_s: float) -> ProblemError:
    seconds = max(1, int(retry_after_s + 0.999))
    return ProblemError(
        429,
        "Too many requests",
        f"Rate limit exceeded; retry in {seconds} s.",
        type_="rate-limited",
        headers={"Retry-After": str(seconds)},
    )


def unavailable(detail: str, *, status: int = 503, title: str = "Service unavailable") -> ProblemError:
    return ProblemError(status, title, detail, type_="upstream-unavailable", headers={"Retry-After": "2"})
