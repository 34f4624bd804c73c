"""Fixtures of the gateway tests: a real HTTP echo backend and gateway settings on the real infra."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from testkit.gateway_kit import ADMIN_KEY, ServerThread, echo_app

from gateway.config import GatewaySettings


@pytest.fixture(scope="session")
def echo_backend() -> Iterator[ServerThread]:
    with ServerThread(echo_app(), lifespan="off") as server:
        yield server


@pytest.fixture(scope="session")
def gateway_settings(infra: Any, echo_backend: ServerThread) -> Callable[..., GatewaySettings]:
    """Settings for a gateway in front of the echo backend, with its own topics and database."""

    def build(**overrides: Any) -> GatewaySettings:
        name = f"t{uuid.uuid4().hex[:12]}"
        values: dict[str, Any] = {
            "kafka_bootstrap": infra.kafka_bootstrap,
            "mongo_url": infra.mongo_url,
            "topic_prefix": f"{name}.",
            "mongo_db": name,
            "topic_partitions": 1,
            "admin_key": ADMIN_KEY,
            "registration_url": f"{echo_backend.url}/registration",
            "events_url": f"{echo_backend.url}/events",
            "metrics_url": f"{echo_backend.url}/metrics",
        }
        values.update(overrides)
        return GatewaySettings(**values)

    return build
