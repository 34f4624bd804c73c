"""The compose file and the local runner start the same services on the same ports with the same variables."""

from __future__ import annotations

import json
import re
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
    local_vars = set(
        platform.service_env(layout, infra, "given-key", ("private", "public"), principal=("p", "q"))
    )
    for name in platform.SERVICES:
        compose_vars = set(compose()["services"][name]["environment"]) - {"SERVICE", "PORT"}
        assert compose_vars == local_vars, name


def test_internal_service_urls_point_at_the_compose_services() -> None:
    env = compose()["services"]["gateway"]["environment"]
    for name, port in platform.DEFAULT_PORTS.items():
        if name != "gateway":
            assert env[f"PULSE_{name.upper()}_URL"] == f"http://{name}:{port}"


def test_every_long_running_container_restarts_is_health_checked_and_limited() -> None:
    services = compose()["services"]
    for name, service in services.items():
        assert service.get("restart") in {"unless-stopped", "always"}, name
        assert service["healthcheck"]["test"], name
        limits = service["deploy"]["resources"]["limits"]
        assert limits["memory"], name
        assert float(limits["cpus"]) > 0, name


def test_data_lives_in_named_volumes() -> None:
    loaded = compose()
    for name in ("kafka", "mongo", "prometheus", "grafana"):
        mounts = loaded["services"][name]["volumes"]
        named = [m.split(":")[0] for m in mounts if not m.startswith((".", "/"))]
        assert named, name
        assert set(named) <= set(loaded["volumes"]), name


def test_prometheus_scrapes_every_service_on_its_port_and_loads_the_alert_rules() -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    targets = {
        t for job in config["scrape_configs"] for group in job["static_configs"] for t in group["targets"]
    }
    assert targets == {f"{name}:{port}" for name, port in platform.DEFAULT_PORTS.items()}
    mounted = compose()["services"]["prometheus"]["volumes"]
    assert "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in mounted
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    rules = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    alerts = [rule["alert"] for group in rules["groups"] for rule in group["rules"]]
    assert len(alerts) == len(set(alerts)) > 0
    documented = (ROOT / "docs/operations.md").read_text()
    assert [a for a in alerts if a not in documented] == []


def test_grafana_is_provisioned_with_the_dashboard_over_the_prometheus_datasource() -> None:
    grafana = compose()["services"]["grafana"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in grafana["volumes"]
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana["volumes"]
    source = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    uid = source["datasources"][0]["uid"]
    assert source["datasources"][0]["url"] == "http://prometheus:9090"
    dashboard = json.loads((ROOT / "deploy/grafana/dashboards/programme-pulse.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    for metric in (
        "pulse_programme_counter",
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "pulse_kafka_consumer_lag",
        "pulse_outbox_backlog",
    ):
        assert metric in exprs, metric
    assert {p["datasource"]["uid"] for p in dashboard["panels"]} == {uid}


def test_every_compose_variable_is_in_the_readme_configuration_table() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in sorted(set(re.findall(r"\$\{([A-Z_]+)", text))):
        assert f"`{variable}`" in table, variable
