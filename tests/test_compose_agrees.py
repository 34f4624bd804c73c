"""The compose file and the local runner start the same services on the same ports with the same variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pulse_local import platform

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_the_same_services_on_the_same_ports() -> None:
    services = compose()["services"]
    assert set(platform.SERVICES) <= set(services)
    for name, port in platform.DEFAULT_PORTS.items():
        assert int(services[name]["environment"]["PORT"]) == port, name


def test_compose_gives_each_service_the_variables_the_local_runner_gives() -> None:
    layout = platform.Layout(state_dir=Path("/nonexistent"))
    infra = platform.Infra("k:9092", "mongodb://m/", started_kafka=False, started_mongo=False)
    local_vars = set(platform.service_env(layout, infra, "given-key", ("private", "public")))
    for name in platform.SERVICES:
        compose_vars = set(compose()["services"][name]["environment"]) - {"SERVICE", "PORT"}
        assert compose_vars == local_vars, name


def test_internal_service_urls_point_at_the_compose_services() -> None:
    env = compose()["services"]["gateway"]["environment"]
    for name, port in platform.DEFAULT_PORTS.items():
        if name != "gateway":
            assert env[f"PULSE_{name.upper()}_URL"] == f"http://{name}:{port}"
