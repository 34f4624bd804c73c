"""How the gateway answers each refusal of its domain: one table, every refusal in it."""

from __future__ import annotations

from testkit.refusals import refusals_of

from gateway.domain import errors
from gateway.domain.errors import (
    CountersNotYetReceived,
    GatewayError,
    NotAuthenticated,
    NotFound,
    RateLimited,
)
from gateway.routes.problems import PROBLEMS, problem_of


def test_every_refusal_of_the_gateway_is_answered_with_a_problem() -> None:
    refusals = refusals_of(errors, GatewayError)
    assert refusals == set(PROBLEMS)
    for kind in refusals - {RateLimited}:
        problem = problem_of(kind("why"))
        assert (problem.detail, 400 <= problem.status < 600) == ("why", True)


def test_a_refusal_says_when_to_retry_or_how_to_authenticate_where_that_helps() -> None:
    limited = problem_of(RateLimited(2.2))
    assert (limited.status, limited.detail, limited.headers) == (
        429,
        "Rate limit exceeded; retry in 3 s.",
        {"Retry-After": "3"},
    )
    assert problem_of(NotAuthenticated()).headers == {"WWW-Authenticate": "Bearer"}
    assert problem_of(CountersNotYetReceived()).headers == {"Retry-After": "5"}
    assert problem_of(NotFound("No such path: /v1/x")).headers is None
