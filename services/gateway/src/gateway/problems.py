"""Problem details that carry response headers (WWW-Authenticate, Retry-After)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.http.problems import ProblemError, problem_response


class HeaderedProblem(ProblemError):
    """A ProblemError whose response also carries headers."""

    def __init__(
        self, status: int, title: str, detail: str | None = None, *, headers: dict[str, str], **extra: Any
    ) -> None:
        super().__init__(status, title, detail, **extra)
        self.headers = headers


async def _on_headered_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HeaderedProblem)
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        type_=exc.type_,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extra,
    )


def install_headered_problem_handler(app: FastAPI) -> None:
    app.add_exception_handler(HeaderedProblem, _on_headered_problem)


def unauthorised(detail: str) -> HeaderedProblem:
    return HeaderedProblem(
        401, "Unauthorized", detail, type_="unauthorized", headers={"WWW-Authenticate": "Bearer"}
    )


def too_many_requests(retry_after_s: float) -> HeaderedProblem:
    seconds = max(1, int(retry_after_s + 0.999))
    return HeaderedProblem(
        429,
        "Too many requests",
        f"Rate limit exceeded; retry in {seconds} s.",
        type_="rate-limited",
        headers={"Retry-After": str(seconds)},
    )


def unavailable(detail: str, *, status: int = 503, title: str = "Service unavailable") -> HeaderedProblem:
    return HeaderedProblem(status, title, detail, type_="upstream-unavailable", headers={"Retry-After": "2"})
