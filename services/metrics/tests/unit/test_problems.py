"""How the metrics service answers each refusal of its domain: one table, every refusal in it."""

from __future__ import annotations

from testkit.refusals import refusals_of

from metrics.domain import errors
from metrics.domain.errors import MetricsError
from metrics.routes.problems import PROBLEMS, problem_of


def test_every_refusal_of_the_metrics_service_is_answered_with_a_problem() -> None:
    refusals = refusals_of(errors, MetricsError)
    assert refusals == set(PROBLEMS)
    for kind in refusals:
        problem = problem_of(kind("why"))
        assert (problem.detail, 400 <= problem.status < 600) == ("why", True)
