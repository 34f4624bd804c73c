"""RFC 9457 problem details: the one error format of every service."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.http.allowed_methods import allowed_methods
from shared.http.problem_types import DEFAULT_TYPES, type_uri
from shared.refusals import Refusal

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
E = TypeVar("E", bound=Exception)
R = TypeVar("R", bound=Refusal)
Answer = tuple[int, str | None, str]  # status, type (a slug under /problems/, None: about:blank), title


class ProblemError(Exception):
    """Raise to answer with a problem document; `type_` is a short slug under /problems/."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        type_: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type_ = type_
        self.headers = headers
        self.extra = extra


def problem_document(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str | None = None,
    instance: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The problem's body: also what a batch gives as the error of one refused item."""
    slug = type_ or DEFAULT_TYPES.get(status)
    body: dict[str, Any] = {
        "type": type_uri(slug) if slug else "about:blank",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_document(status, title, detail, type_=type_, instance=instance, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without echoing the input back (it may hold personal data)."""
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        type_=exc.type_,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extra,
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return problem_response(
            400,
            "Malformed JSON",
            "The request body is not valid JSON.",
            type_="malformed-json",
            instance=request.url.path,
        )
    return problem_response(
        422,
        "Invalid request",
        "The request does not match the schema; see errors.",
        type_="validation",
        instance=request.url.path,
        errors=errors,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
        detail = f"{request.method} is not allowed here; use {headers['Allow']}."
    else:
        detail = str(exc.detail) if exc.detail else _reason(exc.status_code)
    return problem_response(
        exc.status_code, _reason(exc.status_code), detail, instance=request.url.path, headers=headers
    )


async def _on_database_unreachable(request: Request, exc: Exception) -> JSONResponse:
    # A write the database may or may not have applied: the client retries it (every write is idempotent).
    log.warning("database unreachable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        503,
        "Service unavailable",
        "The database is unreachable; try again shortly.",
        type_="database-unavailable",
        instance=request.url.path,
        headers={"Retry-After": "2"},
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(
        500,
        "Internal error",
        "Something went wrong on our side.",
        type_="internal-error",
        instance=request.url.path,
    )


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_from(
    answers: Mapping[type[R], Answer], refusal: R, *, headers: dict[str, str] | None = None
) -> ProblemError:
    """The problem a refusal is answered with: its class's answer, or that of the nearest class listed."""
    status, slug, title = next(answers[kind] for kind in type(refusal).__mro__ if kind in answers)
    return ProblemError(status, title, refusal.detail, type_=slug, headers=headers)


def install_domain_problems(app: FastAPI, errors: type[E], problem_of: Callable[[E], ProblemError]) -> None:
    """Answer a service's domain errors (`errors` and its subclasses) with the problem `problem_of` makes."""

    async def answer(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, errors)
        return await _on_problem(request, problem_of(exc))

    app.add_exception_handler(errors, answer)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ConnectionFailure, _on_database_unreachable)
    app.add_exception_handler(Exception, _on_unexpected)
