"""Every problem type the platform answers with: the page behind each `/problems/{type}` URI (RFC 9457)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemType:
    """What a problem type means and what a client does about it."""

    title: str
    statuses: tuple[int, ...]
    explanation: str
    remedy: str


_RETRY_LATER = "Retry after the number of seconds in `Retry-After`; with the same `Idempotency-Key` a retried write is safe."

PROBLEM_TYPES: dict[str, ProblemType] = {
    "bad-request": ProblemType(
        "Bad request",
        (400,),
        "The request cannot be read as sent.",
        "Correct the request; retrying it as is fails again.",
    ),
    "malformed-json": ProblemType(
        "Malformed JSON", (400,), "The request body is not valid JSON.", "Send a JSON document as the body."
    ),
    "bad-cursor": ProblemType(
        "Bad cursor",
        (400,),
        "The `cursor` query parameter is not one this API issued.",
        "Pass the `next_cursor` of the previous page unchanged, or leave `cursor` out for the first page.",
    ),
    "invalid-idempotency-key": ProblemType(
        "Invalid Idempotency-Key",
        (400,),
        "The `Idempotency-Key` header is not 1 to 255 printable ASCII characters.",
        "Send a fresh random key (a UUID) per distinct write, and the same key again for its retries.",
    ),
    "unauthorized": ProblemType(
        "Unauthorized",
        (401,),
        "No API key was sent, or the key sent is unknown, revoked or expired.",
        "Send a valid key as `Authorization: Bearer <key>`.",
    ),
    "untrusted-principal": ProblemType(
        "Untrusted principal",
        (401,),
        "A service was called with an identity the gateway did not sign for it (or one that expired): only "
        "the gateway may call the services.",
        "Call the API through the gateway with your API key; never call a service directly.",
    ),
    "forbidden": ProblemType(
        "Forbidden",
        (403,),
        "The key is valid but its scope does not allow this operation on this resource.",
        "Use a key whose scope covers it: an admin key, the owning partner's key, or the event's check-in key.",
    ),
    "unknown-partner": ProblemType(
        "Unknown partner",
        (403,),
        "The partner this key acts for does not exist (any more).",
        "Ask the programme's administrators for a key of an existing partner.",
    ),
    "not-your-event": ProblemType(
        "Not your event",
        (403,),
        "A partner records attendance at its own events only.",
        "Record attendance with the key of the partner that owns the event.",
    ),
    "not-found": ProblemType(
        "Not found",
        (404,),
        "No resource has this id, or it belongs to another partner (which is answered alike).",
        "Check the id; list the collection to find it.",
    ),
    "event-not-found": ProblemType(
        "Event not found", (404,), "No event has this id.", "Check the event id; `GET /v1/events` lists them."
    ),
    "programme-not-found": ProblemType(
        "Programme not found",
        (404,),
        "The gateway has never received figures for this programme.",
        "Check `programme_id`, or leave it out for the gateway's own programme.",
    ),
    "door-scanner-missing": ProblemType(
        "QR reader not installed",
        (404,),
        "The door app's QR reader files are missing on this gateway.",
        "An operator installs them with `make door`.",
    ),
    "method-not-allowed": ProblemType(
        "Method not allowed",
        (405,),
        "The path exists but does not take this HTTP method.",
        "Use one of the methods the `Allow` response header lists.",
    ),
    "conflict": ProblemType(
        "Conflict",
        (409,),
        "The resource changed while this request was applied.",
        "Read the resource again and repeat the change.",
    ),
    "event-cancelled": ProblemType(
        "Event cancelled",
        (409,),
        "A cancelled event takes no check-ins or attendance.",
        "Record attendance at another event.",
    ),
    "event-change-refused": ProblemType(
        "Change refused",
        (409, 422),
        "The change breaks a rule of events: a cancelled event cannot change (409); an event must start before it ends (422).",
        "Send a change that keeps the event valid.",
    ),
    "checkin-id-conflict": ProblemType(
        "Check-in id reused",
        (409,),
        "This `checkin_id` already records another participant's or event's attendance.",
        "Use a fresh UUID for every distinct check-in and the same one only for its retries.",
    ),
    "limit": ProblemType(
        "Limit reached",
        (409,),
        "A partner already has as many of these as allowed.",
        "Delete one before adding another.",
    ),
    "idempotency-request-in-flight": ProblemType(
        "Request in progress",
        (409,),
        "A request with this `Idempotency-Key` is still being processed.",
        "Wait for it, then retry with the same key: the first request's answer is replayed.",
    ),
    "participant-erased": ProblemType(
        "Participant erased",
        (410,),
        "The participant's personal data was erased; nothing more is recorded for them.",
        "Do not retry; the erasure is final.",
    ),
    "erased": ProblemType(
        "Participant erased",
        (410,),
        "The participant's personal data was erased; only what the subject access export shows remains.",
        "Do not retry; the erasure is final.",
    ),
    "body-too-large": ProblemType(
        "Content too large",
        (413,),
        "The request body is larger than the gateway accepts.",
        "Send less per request; split bulk uploads into several batches.",
    ),
    "batch-too-large": ProblemType(
        "Batch too large",
        (413,),
        "A batch holds at most 10,000 items.",
        "Split the upload into batches of at most 10,000 items.",
    ),
    "validation": ProblemType(
        "Invalid request",
        (422,),
        "The request does not match the schema or breaks a rule of the programme; `errors` says where and why.",
        "Correct the fields named in `errors` (their `loc`) and send again.",
    ),
    "invalid-qr-token": ProblemType(
        "Invalid QR token",
        (422,),
        "The QR token is not signed by this platform, has expired, or belongs to another programme.",
        "Scan the participant's current QR code; `GET /v1/participants/{id}/qr` issues a fresh one.",
    ),
    "unknown-organisation": ProblemType(
        "Unknown organisation",
        (422,),
        "`organisation_id` names no organisation.",
        "Name the organisation first with `POST /v1/organisations`, then use its id.",
    ),
    "idempotency-key-reused": ProblemType(
        "Idempotency-Key reused",
        (422,),
        "This `Idempotency-Key` was sent before with a different request (method, path or body).",
        "Use a fresh key for a different request; send the same key only to retry the very same request.",
    ),
    "rate-limited": ProblemType(
        "Too many requests", (429,), "This key sent more requests than its rate allows.", _RETRY_LATER
    ),
    "internal-error": ProblemType(
        "Internal error",
        (500,),
        "Something went wrong on our side; it is logged with the request id.",
        "Retry later; report the `x-request-id` response header if it persists.",
    ),
    "bad-gateway": ProblemType(
        "Bad gateway",
        (502,),
        "A service answered the gateway with something it did not expect.",
        _RETRY_LATER,
    ),
    "service-unavailable": ProblemType(
        "Service unavailable", (503,), "The service cannot answer right now.", _RETRY_LATER
    ),
    "upstream-unavailable": ProblemType(
        "Service unavailable",
        (503, 504),
        "The service behind the gateway is down, busy (503), or did not answer in time (504).",
        _RETRY_LATER,
    ),
    "database-unavailable": ProblemType(
        "Service unavailable",
        (503,),
        "The service's database is unreachable; the write may or may not have been applied.",
        _RETRY_LATER,
    ),
    "counters-unavailable": ProblemType(
        "Counters not available yet",
        (503,),
        "The gateway has not received the programme's first counters yet.",
        _RETRY_LATER,
    ),
    "qr-not-configured": ProblemType(
        "QR codes not configured",
        (503,),
        "This deployment has no key to sign or verify QR check-in tokens.",
        "An operator sets PULSE_QR_PRIVATE_KEY and PULSE_QR_PUBLIC_KEY.",
    ),
    "gateway-timeout": ProblemType(
        "Gateway timeout", (504,), "A service did not answer the gateway in time.", _RETRY_LATER
    ),
}

# The type of a problem raised without one, so that every problem's `type` has a page.
DEFAULT_TYPES: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "erased",
    413: "body-too-large",
    422: "validation",
    429: "rate-limited",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "gateway-timeout",
}


def type_uri(slug: str) -> str:
    """The `type` member of a problem: a URI reference the gateway resolves to the type's page."""
    return f"/problems/{slug}"
