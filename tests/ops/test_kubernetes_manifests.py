"""The Kubernetes manifests are valid objects (strict JSON schemas of Kubernetes 1.33) and run the platform as designed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from pulse_local import platform

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy/kubernetes"
KUBERNETES_VERSION = "1.33.0"


def manifest_files() -> list[str]:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    resources: list[str] = kustomization["resources"]
    return resources


def objects() -> list[dict[str, Any]]:
    return [
        doc for name in manifest_files() for doc in yaml.safe_load_all((MANIFESTS / name).read_text()) if doc
    ]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects() if o["kind"] == kind}


def test_kustomization_lists_every_manifest_in_the_folder() -> None:
    on_disk = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(manifest_files()) == on_disk


@pytest.mark.parametrize("obj", objects(), ids=lambda o: f"{o['kind']}/{o['metadata']['name']}")
def test_every_object_is_valid_against_the_strict_kubernetes_schema(obj: dict[str, Any]) -> None:
    kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_validator_refuses_a_broken_deployment() -> None:
    broken = copy.deepcopy(of_kind("Deployment")["gateway"])
    probe = broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    probe["httpGet"]["paht"] = probe["httpGet"].pop("path")  # a typo an operator could make
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    broken = copy.deepcopy(of_kind("Deployment")["gateway"])
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_each_service_has_probes_resources_a_service_and_the_shared_configuration() -> None:
    deployments, services = of_kind("Deployment"), of_kind("Service")
    assert set(deployments) == set(platform.SERVICES) == set(services)
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        port = platform.DEFAULT_PORTS[name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["resources"]["requests"], name
        assert container["resources"]["limits"], name
        assert {"name": "PORT", "value": str(port)} in container["env"], name
        assert {"name": "SERVICE", "value": name} in container["env"], name
        sources = {next(iter(s.values()))["name"] for s in container["envFrom"]}
        assert sources == {"pulse-config", "pulse-secrets"}, name
        assert services[name]["spec"]["ports"][0]["port"] == port, name


def test_configuration_gives_every_variable_the_local_runner_gives() -> None:
    config = of_kind("ConfigMap")["pulse-config"]["data"]
    secret = of_kind("Secret")["pulse-secrets"]["stringData"]
    layout = platform.Layout(state_dir=Path("/nonexistent"))
    infra = platform.Infra("k:9092", "mongodb://m/", started_kafka=False, started_mongo=False)
    assert set(platform.service_env(layout, infra, "key", ("private", "public"))) <= set(config) | set(secret)
    assert "replicaSet=" in secret["MONGO_URL"]
    for name in ("registration", "events", "metrics"):
        assert config[f"PULSE_{name.upper()}_URL"] == f"http://{name}:{platform.DEFAULT_PORTS[name]}"


def test_services_autoscale_and_metrics_stays_within_its_partitions() -> None:
    autoscalers = of_kind("HorizontalPodAutoscaler")
    assert {a["spec"]["scaleTargetRef"]["name"] for a in autoscalers.values()} == {
        "gateway",
        "events",
        "metrics",
    }
    partitions = int(of_kind("ConfigMap")["pulse-config"]["data"]["PULSE_TOPIC_PARTITIONS"])
    for autoscaler in autoscalers.values():
        assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
    assert of_kind("Deployment")["metrics"]["spec"]["replicas"] <= partitions
    assert autoscalers["metrics"]["spec"]["maxReplicas"] <= partitions  # a replica past them owns nothing
    assert of_kind("PodDisruptionBudget")["metrics"]["spec"]["minAvailable"] >= 1
