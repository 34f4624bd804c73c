"""The compose file runs what the local runner runs (same services, ports and variables), each service with its
own keys and credentials, its stateful parts writing to their volumes and nothing published beyond localhost."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pulse_local import cli, kafka, platform

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_the_same_services_on_the_same_ports() -> None:
    services = compose()["services"]
    assert set(platform.SERVICES) <= set(services)
    for name, port in platform.DEFAULT_PORTS.items():
        assert int(services[name]["environment"]["PORT"]) == port, name


KAFKA_CLIENT_AUTH = {
    "PULSE_KAFKA_SECURITY_PROTOCOL",
    "PULSE_KAFKA_SASL_MECHANISM",
    "PULSE_KAFKA_USERNAME",
    "PULSE_KAFKA_PASSWORD",
}


def local_env(service: str) -> dict[str, str]:
    layout = platform.Layout(state_dir=Path("/nonexistent"))
    infra = platform.Infra("k:9092", "mongodb://m/", started_kafka=False, started_mongo=False)
    return platform.env_for(
        service, platform.service_env(layout, infra, "given-key", ("private", "public"), principal=("p", "q"))
    )


def test_compose_gives_each_service_the_runners_variables_its_own_keys_and_kafka_credentials() -> None:
    for name in platform.SERVICES:
        compose_vars = set(compose()["services"][name]["environment"]) - {"SERVICE", "PORT"}
        assert compose_vars == set(local_env(name)) | platform.KEYS_OF[name] | KAFKA_CLIENT_AUTH, name
        assert compose_vars & platform.KEYS == platform.KEYS_OF[name], name


def test_only_the_gateway_holds_the_admin_key_and_the_principal_signing_key() -> None:
    holders = {
        key: {s for s in platform.SERVICES if key in compose()["services"][s]["environment"]}
        for key in ("PULSE_ADMIN_KEY", "PULSE_PRINCIPAL_PRIVATE_KEY", "PULSE_QR_PRIVATE_KEY")
    }
    assert holders == {
        "PULSE_ADMIN_KEY": {"gateway"},
        "PULSE_PRINCIPAL_PRIVATE_KEY": {"gateway"},
        "PULSE_QR_PRIVATE_KEY": {"registration"},
    }


def test_each_service_has_its_own_kafka_user_and_its_own_mongodb_user_and_database() -> None:
    services = compose()["services"]
    created = re.findall(r"^  (\w+): \{", (ROOT / "deploy/mongo/init-users.js").read_text(), re.MULTILINE)
    assert sorted(created) == sorted(platform.SERVICES)
    mounted = "./deploy/mongo/init-users.js:/docker-entrypoint-initdb.d/init-users.js:ro"
    assert mounted in services["mongo"]["volumes"]
    kafka_users = services["kafka-users"]["command"][0]
    assert f"for user in {' '.join(platform.SERVICES)}; do" in kafka_users
    for name in platform.SERVICES:
        env = services[name]["environment"]
        assert env["PULSE_KAFKA_USERNAME"] == name
        assert env["PULSE_KAFKA_PASSWORD"].startswith(f"${{KAFKA_{name.upper()}_PASSWORD:?")
        assert f"KAFKA_{name.upper()}_PASSWORD" in services["kafka-users"]["environment"]
        url = urlsplit(
            env["MONGO_URL"].replace(f"${{MONGO_{name.upper()}_PASSWORD:?run 'make keys > .env'}}", "pw")
        )
        assert (url.username, url.password, url.path, url.query) == (
            name,
            "pw",
            f"/{name}",
            f"authSource={name}",
        )
        assert f"MONGO_{name.upper()}_PASSWORD" in services["mongo"]["environment"]


def test_the_broker_listens_as_the_local_runners_scram_broker_does() -> None:
    env = compose()["services"]["kafka"]["environment"]
    local = kafka.scram_listeners(kafka.KafkaConfig(Path("/nonexistent"), 9092, 9093, (("u", "p"),), 19092))
    assert env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == local["listener.security.protocol.map"]
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] == local["inter.broker.listener.name"]
    assert env["KAFKA_SASL_ENABLED_MECHANISMS"] == local["sasl.enabled.mechanisms"] == kafka.SCRAM_MECHANISM
    assert env["KAFKA_ADVERTISED_LISTENERS"].startswith("CLIENT://kafka:9092,BROKER://127.0.0.1:")
    jaas = kafka.JAAS_FILE.relative_to(ROOT).as_posix()
    target = env["KAFKA_OPTS"].removeprefix("-Djava.security.auth.login.config=")
    assert f"./{jaas}:{target}:ro" in compose()["services"]["kafka"]["volumes"]
    for name in platform.SERVICES:
        service_env = compose()["services"][name]["environment"]
        assert service_env["PULSE_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
        assert service_env["PULSE_KAFKA_SASL_MECHANISM"] == kafka.SCRAM_MECHANISM


def test_internal_service_urls_point_at_the_compose_services() -> None:
    env = compose()["services"]["gateway"]["environment"]
    for name, port in platform.DEFAULT_PORTS.items():
        if name != "gateway":
            assert env[f"PULSE_{name.upper()}_URL"] == f"http://{name}:{port}"


def one_shot(services: dict[str, Any]) -> set[str]:
    """Init steps: containers others wait on to complete."""
    return {
        dependency
        for service in services.values()
        for dependency, condition in service.get("depends_on", {}).items()
        if condition.get("condition") == "service_completed_successfully"
    }


# Images holding their program alone, with nothing to run a probe with; compose restarts them if they exit.
NOTHING_TO_PROBE_WITH = {"otel-collector"}


def test_every_long_running_container_restarts_is_health_checked_and_limited() -> None:
    services = compose()["services"]
    assert one_shot(services) == {"kafka-users"}
    assert services["kafka-users"]["restart"] == "on-failure"
    for name, service in services.items():
        if name in one_shot(services):
            continue
        assert service.get("restart") in {"unless-stopped", "always"}, name
        if name not in NOTHING_TO_PROBE_WITH:
            assert service["healthcheck"]["test"], name
        limits = service["deploy"]["resources"]["limits"]
        assert limits["memory"], name
        assert float(limits["cpus"]) > 0, name


def named_volume_at(service: dict[str, Any], path: str, volumes: dict[str, Any]) -> bool:
    return any(
        m.split(":")[1] == path and m.split(":")[0] in volumes
        for m in service["volumes"]
        if not m.startswith((".", "/"))
    )


def test_every_stateful_service_writes_where_its_named_volume_is() -> None:
    loaded = compose()
    services = loaded["services"]

    def flag(name: str, option: str) -> str:
        command = services[name]["command"]
        for n, word in enumerate(command):
            if word == option:
                return str(command[n + 1])
            if word.startswith(option + "="):
                return str(word.split("=", 1)[1])
        raise AssertionError(f"{name} is not given {option}")

    writes_to = {
        "kafka": services["kafka"]["environment"]["KAFKA_LOG_DIRS"],
        "mongo": flag("mongo", "--dbpath"),
        "prometheus": flag("prometheus", "--storage.tsdb.path"),
        "alertmanager": flag("alertmanager", "--storage.path"),
        "grafana": services["grafana"]["environment"]["GF_PATHS_DATA"],
    }
    for name, path in writes_to.items():
        assert named_volume_at(services[name], path, loaded["volumes"]), (name, path)


def test_published_ports_listen_on_localhost_unless_the_operator_says_otherwise() -> None:
    published = {
        name: port for name, service in compose()["services"].items() for port in service.get("ports", [])
    }
    assert set(published) == {"gateway", "prometheus", "grafana", "alertmanager"}
    for name, port in published.items():
        assert re.fullmatch(r"\$\{PULSE_(PUBLISH|MONITORING)_ADDRESS:-127\.0\.0\.1\}:\d+:\d+", port), name


def test_make_keys_prints_every_value_compose_requires() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        cli.keys(platform.Layout(state_dir=Path("/nonexistent")))
    printed = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    required = set(re.findall(r"\$\{([A-Z_]+):\?", (ROOT / "docker-compose.yml").read_text()))
    assert required == set(printed)
    assert all(value and "$" not in value and " " not in value for value in printed.values())
    assert len(set(printed.values())) == len(printed)


def test_tracing_goes_to_the_collector_compose_runs() -> None:
    services = compose()["services"]
    endpoint = services["gateway"]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
    assert endpoint == "${OTEL_EXPORTER_OTLP_ENDPOINT:-http://otel-collector:4318}"
    collector = services["otel-collector"]
    assert "./deploy/otel/collector.yaml:/etc/otelcol/collector.yaml:ro" in collector["volumes"]
    config = yaml.safe_load((ROOT / "deploy/otel/collector.yaml").read_text())
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"] == "0.0.0.0:4318"
    assert config["service"]["pipelines"]["traces"]["receivers"] == ["otlp"]
    exporters = config["service"]["pipelines"]["traces"]["exporters"]
    assert exporters
    assert set(exporters) <= set(config["exporters"])


def test_prometheus_sends_alerts_to_alertmanager_whose_receiver_is_documented() -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    [target] = config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    assert target == "alertmanager:9093"
    assert "alertmanager" in compose()["services"]
    routing = yaml.safe_load((ROOT / "deploy/alertmanager/alertmanager.yml").read_text())
    receivers = {r["name"] for r in routing["receivers"]}
    assert routing["route"]["receiver"] in receivers
    assert {r["receiver"] for r in routing["route"].get("routes", [])} <= receivers
    assert "deploy/alertmanager/alertmanager.yml" in (ROOT / "docs/operations.md").read_text()


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
    assert "./deploy/grafana/dashboards:/etc/grafana/dashboards:ro" in grafana["volumes"]
    provider = yaml.safe_load((ROOT / "deploy/grafana/provisioning/dashboards/pulse.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"
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
