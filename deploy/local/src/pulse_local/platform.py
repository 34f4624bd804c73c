"""The whole platform on one machine: infrastructure (local or given) and the four services."""

from __future__ import annotations

import os
import secrets
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from pulse_local import ferretdb, kafka
from pulse_local.process import (
    InfraError,
    ManagedProcess,
    make_private,
    port_open,
    require_port_free,
    write_private,
)

SERVICES = ("registration", "events", "metrics", "gateway")
DEFAULT_PORTS = {"gateway": 8000, "registration": 8001, "events": 8002, "metrics": 8003}
# The keys each service is given (docs/architecture.md, Security model); no service gets another's.
KEYS_OF = {
    "gateway": {"PULSE_ADMIN_KEY", "PULSE_PRINCIPAL_PRIVATE_KEY", "PULSE_QR_PUBLIC_KEY"},
    "registration": {"PULSE_QR_PRIVATE_KEY", "PULSE_PRINCIPAL_PUBLIC_KEY"},
    "events": {"PULSE_QR_PUBLIC_KEY", "PULSE_PRINCIPAL_PUBLIC_KEY"},
    "metrics": {"PULSE_PRINCIPAL_PUBLIC_KEY"},
}
KEYS = set().union(*KEYS_OF.values())
# Operator settings every service reads, passed on from the environment with these defaults.
OPERATOR_SETTINGS = {
    "PULSE_LOG_LEVEL": "INFO",
    "PULSE_TOPIC_PARTITIONS": "3",
    "PULSE_OTEL_ENABLED": "false",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
}


@dataclass(frozen=True)
class Infra:
    """Where Kafka and MongoDB answer, and whether we started them (and so must stop them)."""

    kafka_bootstrap: str
    mongo_url: str
    started_kafka: bool
    started_mongo: bool


@dataclass(frozen=True)
class Layout:
    """Folders and ports of one local platform; tests use their own so they never touch `make up`'s."""

    state_dir: Path
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    mongo_port: int = 27017
    service_ports: tuple[tuple[str, int], ...] = tuple(DEFAULT_PORTS.items())

    @classmethod
    def from_env(cls, state_dir: Path) -> Layout:
        env = os.environ.get
        return cls(
            state_dir=state_dir,
            kafka_port=int(env("PULSE_KAFKA_PORT", "9092")),
            kafka_controller_port=int(env("PULSE_KAFKA_CONTROLLER_PORT", "9093")),
            mongo_port=int(env("PULSE_MONGO_PORT", "27017")),
            service_ports=tuple(
                (s, int(env(f"PULSE_{s.upper()}_PORT", str(p)))) for s, p in DEFAULT_PORTS.items()
            ),
        )

    @property
    def kafka(self) -> kafka.KafkaConfig:
        return kafka.KafkaConfig(self.state_dir / "kafka", self.kafka_port, self.kafka_controller_port)

    @property
    def ferret(self) -> ferretdb.FerretConfig:
        return ferretdb.FerretConfig(self.state_dir / "ferretdb", self.mongo_port)

    def port(self, service: str) -> int:
        return dict(self.service_ports)[service]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    def service_process(self, service: str) -> ManagedProcess:
        return ManagedProcess(service, self.state_dir / "services")


def start_infra(layout: Layout, progress: Callable[[str], None] = print) -> Infra:
    """Use KAFKA_BOOTSTRAP / MONGO_URL when given, else install and start local Kafka and FerretDB."""
    make_private(layout.state_dir)
    given_kafka = os.environ.get("KAFKA_BOOTSTRAP")
    given_mongo = os.environ.get("MONGO_URL")
    if given_kafka:
        require_answers("KAFKA_BOOTSTRAP", given_kafka, _kafka_addresses(given_kafka))
        progress(f"Using the Kafka given in KAFKA_BOOTSTRAP: {given_kafka}")
    else:
        progress(f"Starting Kafka on 127.0.0.1:{layout.kafka_port} (logs: {layout.kafka.state_dir})")
    bootstrap = given_kafka or kafka.start(layout.kafka)
    if given_mongo:
        require_answers("MONGO_URL", given_mongo, _mongo_addresses(given_mongo))
        progress("Using the MongoDB given in MONGO_URL")
    else:
        progress(f"Starting FerretDB on 127.0.0.1:{layout.mongo_port} (logs: {layout.ferret.state_dir})")
    mongo_url = given_mongo or ferretdb.start(layout.ferret)
    return Infra(bootstrap, mongo_url, started_kafka=not given_kafka, started_mongo=not given_mongo)


def require_answers(variable: str, value: str, addresses: list[tuple[str, int]]) -> None:
    """Fail with one sentence when none of the servers the user named accepts connections."""
    if addresses and not any(port_open(host, port) for host, port in addresses):
        raise InfraError(
            f"{variable}={value} does not answer; start that server, fix the address, "
            f"or unset {variable} to use the local one."
        )


def _kafka_addresses(bootstrap: str) -> list[tuple[str, int]]:
    return [_host_port(part, 9092) for part in bootstrap.split(",") if part.strip()]


def _mongo_addresses(url: str) -> list[tuple[str, int]]:
    parsed = urlsplit(url)
    if parsed.scheme != "mongodb":
        return []  # mongodb+srv resolves through DNS: leave the check to the driver
    hosts = parsed.netloc.rpartition("@")[2]
    return [_host_port(part, 27017) for part in hosts.split(",") if part]


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    address = address.strip().removeprefix("PLAINTEXT://")
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "")
    return host.strip("[]"), int(port) if port.isdigit() else default_port


def stop_infra(layout: Layout) -> None:
    kafka.stop(layout.kafka)
    ferretdb.stop(layout.ferret)


def admin_key(layout: Layout) -> str:
    """PULSE_ADMIN_KEY if set, else a key generated once and kept in the state folder."""
    given = os.environ.get("PULSE_ADMIN_KEY")
    if given:
        return given
    path = layout.state_dir / "admin-key"
    if not path.exists():
        write_private(path, "pulse_admin_" + secrets.token_urlsafe(32))
    return path.read_text().strip()


def qr_keypair(layout: Layout) -> tuple[str, str]:
    """The QR token signing pair from PULSE_QR_PRIVATE_KEY/PULSE_QR_PUBLIC_KEY, else one kept in the state folder."""
    return _keypair(layout, "PULSE_QR", "qr-keypair")


def principal_keypair(layout: Layout) -> tuple[str, str]:
    """The pair the gateway signs principals with, from PULSE_PRINCIPAL_PRIVATE_KEY/PUBLIC_KEY or the state folder."""
    return _keypair(layout, "PULSE_PRINCIPAL", "principal-keypair")


def _keypair(layout: Layout, variable_prefix: str, file_name: str) -> tuple[str, str]:
    """An Ed25519 pair from `<prefix>_PRIVATE_KEY`/`<prefix>_PUBLIC_KEY`, else generated once, owner-only readable."""
    given = (
        os.environ.get(f"{variable_prefix}_PRIVATE_KEY"),
        os.environ.get(f"{variable_prefix}_PUBLIC_KEY"),
    )
    if given[0] and given[1]:
        return given[0], given[1]
    path = layout.state_dir / file_name
    if not path.exists():
        from shared.signed_tokens import generate_keypair

        write_private(path, "\n".join(generate_keypair()))
    private, public = path.read_text().split()
    return private, public


def service_env(
    layout: Layout,
    infra: Infra,
    admin: str,
    qr: tuple[str, str],
    extra: dict[str, str] | None = None,
    principal: tuple[str, str] | None = None,
) -> dict[str, str]:
    """The environment of the service processes; the compose file must name the same variables.

    `principal` is the pair the gateway signs principals with: by default the one `principal_keypair` keeps.
    Each process gets only the secrets it holds (start_service).
    """
    principal = principal or principal_keypair(layout)
    env = {
        "KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "MONGO_URL": infra.mongo_url,
        "PULSE_ADMIN_KEY": admin,
        "PULSE_QR_PRIVATE_KEY": qr[0],
        "PULSE_QR_PUBLIC_KEY": qr[1],
        "PULSE_PRINCIPAL_PRIVATE_KEY": principal[0],
        "PULSE_PRINCIPAL_PUBLIC_KEY": principal[1],
        "PULSE_REGISTRATION_URL": layout.url("registration"),
        "PULSE_EVENTS_URL": layout.url("events"),
        "PULSE_METRICS_URL": layout.url("metrics"),
    }
    env.update({name: os.environ.get(name, default) for name, default in OPERATOR_SETTINGS.items()})
    env.update(extra or {})
    return env


def env_for(service: str, env: dict[str, str]) -> dict[str, str]:
    """The platform's environment less the keys that are not this service's."""
    return {name: value for name, value in env.items() if name not in KEYS or name in KEYS_OF[service]}


def serve_argv(app: str, port: int) -> list[str]:
    """The command serving the app factory `app` on 127.0.0.1, with the image's settings (shared.runtime.serve)."""
    return [sys.executable, "-m", "shared.runtime.serve", app, "--port", str(port)]


def start_service(layout: Layout, service: str, env: dict[str, str], timeout: float = 60) -> None:
    layout.service_process(service).ensure_started(
        lambda: serve_argv(f"{service}.app:create_app", layout.port(service)),
        lambda: _http_ok(layout.url(service) + "/healthz"),
        timeout,
        "healthy",
        before_start=lambda: require_port_free("127.0.0.1", layout.port(service), service),
        env=env_for(service, env),
        withhold=KEYS - KEYS_OF[service],  # also when exported in the shell that runs `make up`
    )


def start_services(layout: Layout, env: dict[str, str], progress: Callable[[str], None] = print) -> None:
    for service in SERVICES:
        progress(f"Starting {service} on {layout.url(service)}")
        start_service(layout, service, env)


def stop_services(layout: Layout) -> None:
    for service in reversed(SERVICES):
        layout.service_process(service).stop()


@contextmanager
def isolated_services(layout: Layout, infra: Infra, run: str, **settings: str) -> Iterator[dict[str, str]]:
    """The four services on the layout's ports with their own topics, databases and secrets; stopped on exit."""
    from shared.signed_tokens import generate_keypair

    env = service_env(
        layout,
        infra,
        admin=f"pulse_admin_{secrets.token_hex(16)}",
        qr=generate_keypair(),
        principal=generate_keypair(),
        extra={
            "PULSE_TOPIC_PREFIX": f"{run}.",
            "PULSE_MONGO_DB_PREFIX": f"{run}_",
            "PULSE_TOPIC_PARTITIONS": "2",
            **settings,
        },
    )
    try:
        start_services(layout, env, progress=lambda _: None)
        wait_ready(layout, timeout=120)
        yield env
    finally:
        stop_services(layout)


def wait_ready(layout: Layout, timeout: float = 90) -> None:
    """Wait until every service's /readyz says Kafka and MongoDB answer."""
    for service in SERVICES:
        url = layout.url(service) + "/readyz"
        layout.service_process(service).wait_until(partial(_http_ok, url), timeout, "ready")


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return bool(response.status == 200)
    except OSError:
        return False
