"""The problem document's schema, and declaring on a route the statuses it answers with (docs/api.md)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.http.problem_types import DEFAULT_TYPES, type_uri


class ProblemDetails(BaseModel):
    """An RFC 9457 problem document; `type` resolves to a page explaining it (GET /problems/{type})."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "No such event.",
                    "instance": "/v1/events/4c1f0b8e-9f3b-4a39-9d7e-2a8d2f0f6c11",
                }
            ]
        },
    )

    type: str = Field(description="a URI reference naming the problem type; GET it for its explanation")
    title: str = Field(description="short, the same for every occurrence of the type")
    status: int = Field(ge=400, le=599, description="the HTTP status code")
    detail: str | None = Field(default=None, description="what went wrong this time")
    instance: str | None = Field(default=None, description="the path of the request")


class FieldError(BaseModel):
    loc: list[str] = Field(description="where: `body`, `query`, `path` or `header`, then the field's path")
    msg: str
    type: str


class ValidationProblem(ProblemDetails):
    """A request that does not match the schema, or breaks a rule of the programme: `errors` say where."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/validation",
                    "title": "Invalid request",
                    "status": 422,
                    "detail": "The request does not match the schema; see errors.",
                    "instance": "/v1/events",
                    "errors": [
                        {"loc": ["body", "kind"], "msg": "Input should be 'training'", "type": "enum"}
                    ],
                }
            ]
        },
    )

    errors: list[FieldError] = Field(default_factory=list)


# What each status means on any operation, for the response's description.
_MEANING = {
    400: "Malformed request: a body that is not JSON, or a cursor this API did not issue.",
    401: "No valid API key (`WWW-Authenticate: Bearer`).",
    403: "The key's scope does not allow this operation on this resource.",
    404: "No such resource for this caller.",
    405: "The path does not take this method (`Allow` lists those it takes).",
    409: "Conflict with the resource's current state, or a request with this Idempotency-Key is in progress.",
    410: "The participant was erased.",
    413: "The body or batch is too large.",
    422: "The request does not match the schema or breaks a programme rule; `errors` say where.",
    429: "Rate limit exceeded; retry after `Retry-After` seconds.",
    502: "A service answered the gateway unexpectedly.",
    503: "Temporarily unavailable; retry after `Retry-After` seconds.",
    504: "A service did not answer in time; the write may have been applied: retry with the same Idempotency-Key.",
}


def problem_example(status: int) -> dict[str, Any]:
    """A plausible problem document for a status, for the documented examples."""
    slug = DEFAULT_TYPES.get(status, "bad-request")
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {"type": type_uri(slug), "title": title, "status": status, "detail": _MEANING.get(status, title)}


def problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    """One documented problem answer: RFC 9457 in application/problem+json, with an example."""
    model = ValidationProblem if status == 422 else ProblemDetails
    return {
        "description": description or _MEANING.get(status, HTTPStatus(status).phrase),
        "model": model,  # FastAPI files it under application/json; shared.http.api_document moves it
        "content": {"application/problem+json": {"example": problem_example(status)}},
    }


def problems(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status it can answer with besides its success.

    `described` overrides a status's generic description, keyed `s409="..."`.
    """
    return {status: problem_response(status, described.get(f"s{status}")) for status in statuses}
