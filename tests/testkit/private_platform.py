"""A private platform: its own Kafka, FerretDB and four services, free to be killed.

The shared servers other tests use are never touched: this one lives on free ports in a given folder.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pulse_local import ferretdb, kafka, platform
from testkit.gateway_kit import free_port


@dataclass(frozen=True)
class PrivatePlatform:
    layout: platform.Layout
    env: dict[str, str]

    @property
    def admin_key(self) -> str:
        return self.env["PULSE_ADMIN_KEY"]

    @property
    def gateway_url(self) -> str:
        return self.layout.url("gateway")

    def kill_service(self, service: str) -> None:
        self.layout.service_process(service).kill()

    def restart_service(self, service: str) -> None:
        """SIGTERM (drain, flush, commit), then start again."""
        self.layout.service_process(service).stop()
        self.start_service(service)

    def start_service(self, service: str) -> None:
        platform.start_service(self.layout, service, self.env)

    def kill_kafka(self) -> None:
        kafka.process(self.layout.kafka).kill()

    def start_kafka(self) -> None:
        kafka.start(self.layout.kafka)

    def kill_database(self) -> None:
        ferretdb.process(self.layout.ferret).kill()

    def start_database(self) -> None:
        ferretdb.start(self.layout.ferret)

    def wait_ready(self) -> None:
        platform.wait_ready(self.layout, timeout=120)

    def service_pid(self, service: str) -> int | None:
        return self.layout.service_process(service).pid()


def _layout(state_dir: Path) -> platform.Layout:
    return platform.Layout(
        state_dir=state_dir,
        kafka_port=free_port(),
        kafka_controller_port=free_port(),
        mongo_port=free_port(),
        service_ports=tuple((s, free_port()) for s in ("gateway", "registration", "events", "metrics")),
    )


@contextmanager
def services_on(layout: platform.Layout, infra: platform.Infra, **settings: str) -> Iterator[PrivatePlatform]:
    """The four services on the layout's ports against `infra`, with their own topics and databases."""
    with platform.isolated_services(layout, infra, f"rel{uuid.uuid4().hex[:8]}", **settings) as env:
        yield PrivatePlatform(layout, env)


@contextmanager
def private_platform(state_dir: Path, **settings: str) -> Iterator[PrivatePlatform]:
    """Start Kafka, FerretDB and the four services on free ports; stop them all on exit."""
    layout = _layout(state_dir)
    try:
        infra = platform.Infra(kafka.start(layout.kafka), ferretdb.start(layout.ferret), True, True)
        with services_on(layout, infra, **settings) as running:
            yield running
    finally:
        platform.stop_infra(layout)


@contextmanager
def platform_on_shared_infra(
    state_dir: Path, infra: platform.Infra, **settings: str
) -> Iterator[PrivatePlatform]:
    """The four services on free ports against the test run's Kafka and MongoDB (which must not be killed)."""
    with services_on(_layout(state_dir), infra, **settings) as running:
        yield running
