"""The gateway's problems that carry response headers (WWW-Authenticate, Retry-After)."""

from __future__ import annotations

from shared.http.problems import ProblemError


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
