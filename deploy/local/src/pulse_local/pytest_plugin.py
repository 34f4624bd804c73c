"""Pytest fixtures giving each test run a real Kafka and a real MongoDB-wire server.

Order of preference: KAFKA_BOOTSTRAP / MONGO_URL from the environment, then testcontainers when a Docker
engine answers, then the local runner (Kafka from Maven Central, FerretDB built with Go) on test-only ports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pulse_local import ferretdb, kafka, platform

# Under pytest-xdist (`make test` runs two workers) each worker has its own service ports and folder; the
# controller starts Kafka and FerretDB once for all of them (pytest_configure below).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_INDEX = int(WORKER.removeprefix("gw")) if WORKER else 0
TEST_STATE_DIR = Path(os.environ.get("PULSE_TEST_STATE_DIR", ".pulse/test")).resolve() / WORKER
TEST_LAYOUT = platform.Layout(
    state_dir=TEST_STATE_DIR,
    kafka_port=int(os.environ.get("PULSE_TEST_KAFKA_PORT", "19092")),
    kafka_controller_port=int(os.environ.get("PULSE_TEST_KAFKA_CONTROLLER_PORT", "19093")),
    mongo_port=int(os.environ.get("PULSE_TEST_MONGO_PORT", "37017")),
    service_ports=tuple(
        (name, int(os.environ.get("PULSE_TEST_PORT_BASE", "18000")) + 100 * _WORKER_INDEX + offset)
        for offset, name in enumerate(("gateway", "registration", "events", "metrics"))
    ),
)
_SHARED_INFRA = pytest.StashKey[platform.Infra]()
_WORKERS_KAFKA, _WORKERS_MONGO = "PULSE_TEST_WORKERS_KAFKA", "PULSE_TEST_WORKERS_MONGO"

S = TypeVar("S")


def docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _containers(stack: ExitStack) -> platform.Infra:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    kafka = stack.enter_context(KafkaContainer("apache/kafka:4.1.1").with_kraft())
    mongo = stack.enter_context(MongoDbContainer("mongo:7"))
    return platform.Infra(kafka.get_bootstrap_server(), mongo.get_connection_url(), False, False)


def pytest_configure(config: pytest.Config) -> None:
    """The xdist controller starts the local Kafka and FerretDB once; its workers find them in the environment."""
    workers = getattr(config.option, "numprocesses", None)
    if hasattr(config, "workerinput") or not workers:
        return
    if (os.environ.get("KAFKA_BOOTSTRAP") and os.environ.get("MONGO_URL")) or docker_engine_answers():
        return
    found = platform.start_infra(TEST_LAYOUT)
    config.stash[_SHARED_INFRA] = found
    # Workers are started after this, with these; not KAFKA_BOOTSTRAP / MONGO_URL, which would make every
    # private platform a test starts (to kill its parts) use these servers instead of its own.
    os.environ[_WORKERS_KAFKA] = found.kafka_bootstrap
    os.environ[_WORKERS_MONGO] = found.mongo_url


def pytest_unconfigure(config: pytest.Config) -> None:
    found = config.stash.get(_SHARED_INFRA, None)
    if found is not None:
        if found.started_kafka:
            kafka.stop(TEST_LAYOUT.kafka)
        if found.started_mongo:
            ferretdb.stop(TEST_LAYOUT.ferret)


@pytest.fixture(scope="session")
def infra() -> Iterator[platform.Infra]:
    """Kafka and MongoDB for the whole run; whatever this fixture started, it stops."""
    if WORKER and os.environ.get(_WORKERS_KAFKA) and os.environ.get(_WORKERS_MONGO):
        # The local runner's servers, started (and stopped) by the controller for this run.
        yield platform.Infra(os.environ[_WORKERS_KAFKA], os.environ[_WORKERS_MONGO], True, True)
        return
    with ExitStack() as stack:
        given = os.environ.get("KAFKA_BOOTSTRAP") and os.environ.get("MONGO_URL")
        if not given and docker_engine_answers():
            yield _containers(stack)
            return
        found = platform.start_infra(TEST_LAYOUT)
        try:
            yield found
        finally:
            if found.started_kafka:
                kafka.stop(TEST_LAYOUT.kafka)
            if found.started_mongo:
                ferretdb.stop(TEST_LAYOUT.ferret)


@pytest.fixture
def unique_name() -> str:
    """A short name no other test uses, for database and topic isolation."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_settings(infra: platform.Infra, unique_name: str) -> Callable[..., Any]:
    """Build a service's settings pointing at the test infra, with this test's own topics and database."""

    def build(settings_cls: type[S], **overrides: Any) -> S:
        values: dict[str, Any] = {
            "kafka_bootstrap": infra.kafka_bootstrap,
            "mongo_url": infra.mongo_url,
            "topic_prefix": f"{unique_name}.",
            "mongo_db": unique_name,
            "topic_partitions": 1,
        }
        values.update(overrides)
        return settings_cls(**values)

    return build


@pytest.fixture(scope="session")
def running_platform(infra: platform.Infra) -> Iterator[tuple[platform.Layout, dict[str, str]]]:
    """The four services as separate processes on test ports, with this run's own topics and databases.

    Public figures are released on the product's schedule scaled from minutes to seconds.
    """
    with platform.isolated_services(
        TEST_LAYOUT,
        infra,
        f"e2e{uuid.uuid4().hex[:8]}",
        PULSE_PUBLIC_RELEASE_INTERVAL_S="1",
        PULSE_PUBLIC_RELEASE_MAX_HOLD_S="3",
    ) as env:
        yield TEST_LAYOUT, env
