"""The one place the gateway says how each of its refusals is answered (RFC 9457), with the headers some
carry (WWW-Authenticate, Retry-After)."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.domain.errors import (
    BatchTooLarge,
    CountersNotYetReceived,
    DeliveryInProgress,
    Forbidden,
    GatewayError,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    ProgrammeNotFound,
    QrReaderMissing,
    QrVerificationNotConfigured,
    RateLimited,
    TooManyWebhooks,
    UpstreamTimedOut,
    UpstreamUnavailable,
    UpstreamUnclear,
)
from shared.http.problems import Answer, ProblemError, install_domain_problems, problem_from

# The status, type (a slug under /problems/, or None for about:blank) and title of each refusal.
PROBLEMS: dict[type[GatewayError], Answer] = {
    NotAuthenticated: (401, "unauthorized", "Unauthorized"),
    RateLimited: (429, "rate-limited", "Too many requests"),
    UpstreamUnavailable: (503, "upstream-unavailable", "Service unavailable"),
    UpstreamTimedOut: (504, "upstream-unavailable", "Gateway timeout"),
    NotFound: (404, "not-found", "Not found"),
    Forbidden: (403, "forbidden", "Forbidden"),
    InvalidRequest: (422, "validation", "Invalid request"),
    BatchTooLarge: (413, "batch-too-large", "Batch too large"),
    TooManyWebhooks: (409, "limit", "Too many webhooks"),
    DeliveryInProgress: (409, "conflict", "Conflict"),
    UpstreamUnclear: (502, None, "Bad gateway"),
    ProgrammeNotFound: (404, "programme-not-found", "Programme not found"),
    CountersNotYetReceived: (503, "counters-unavailable", "Counters not available yet"),
    QrVerificationNotConfigured: (503, "qr-not-configured", "QR verification not configured"),
    QrReaderMissing: (404, "door-scanner-missing", "QR reader not installed"),
}
HEADERS: dict[type[GatewayError], dict[str, str]] = {
    NotAuthenticated: {"WWW-Authenticate": "Bearer"},
    UpstreamUnavailable: {"Retry-After": "2"},
    UpstreamTimedOut: {"Retry-After": "2"},
    CountersNotYetReceived: {"Retry-After": "5"},
}


def problem_of(error: GatewayError) -> ProblemError:
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, RateLimited) else None
    return problem_from(PROBLEMS, error, headers=headers or HEADERS.get(type(error)))


def install(app: FastAPI) -> None:
    install_domain_problems(app, GatewayError, problem_of)
