"""The one place the metrics service says how each of its refusals is answered (RFC 9457)."""

from __future__ import annotations

from fastapi import FastAPI

from metrics.domain.errors import FiguresNotReady, MetricsError, UnknownProgramme
from shared.http.problems import Answer, ProblemError, install_domain_problems, problem_from

# The status, type (a slug under /problems/, or None for about:blank) and title of each refusal.
PROBLEMS: dict[type[MetricsError], Answer] = {
    FiguresNotReady: (503, None, "Figures not ready"),
    UnknownProgramme: (404, "not-found", "Unknown programme"),
}


def problem_of(error: MetricsError) -> ProblemError:
    return problem_from(PROBLEMS, error)


def install(app: FastAPI) -> None:
    install_domain_problems(app, MetricsError, problem_of)
