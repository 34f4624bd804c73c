"""Fixtures of the reliability tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from testkit.private_platform import PrivatePlatform, platform_on_shared_infra, private_platform

from pulse_local import platform


@pytest.fixture(scope="module")
def own_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePlatform]:
    """A platform this module may kill parts of; the checks afterwards read back every write with one key."""
    with private_platform(
        tmp_path_factory.mktemp("private-platform"), PULSE_RATE_PER_KEY="1000", PULSE_BURST_PER_KEY="1000"
    ) as running:
        yield running


@pytest.fixture(scope="session")
def services_platform(
    infra: platform.Infra, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrivatePlatform]:
    """The four services on free ports against the shared infra, for tests that kill nothing.

    Failed key attempts are limited to 5/s per address (default 1/s), as 20 per window of 4 s (default 20 s),
    so that the matrix's revoked and expired keys cost seconds, not minutes. A key's own rate is raised
    (1,000/s, bursts of 4,000) so that schemathesis and the load tests, which reuse one key, never meet
    its 429 (test_limits.py covers that limit).
    """
    with platform_on_shared_infra(
        tmp_path_factory.mktemp("services-platform"),
        infra,
        PULSE_AUTH_FAILURE_RATE="5",
        PULSE_RATE_PER_KEY="1000",
        PULSE_BURST_PER_KEY="4000",
    ) as running:
        yield running
