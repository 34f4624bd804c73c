"""The Kubernetes manifests are valid objects (strict JSON schemas of Kubernetes 1.33) and run the platform as designed."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
        assert sources == {"pulse-config", f"pulse-{name}"}, name
        assert container["image"] == f"programme-pulse-{name}", name
        assert services[name]["spec"]["ports"][0]["port"] == port, name


KAFKA_CREDENTIALS = {"PULSE_KAFKA_USERNAME", "PULSE_KAFKA_PASSWORD"}


def test_each_service_has_a_secret_holding_only_what_it_needs() -> None:
    secrets = of_kind("Secret")
    assert set(secrets) == {f"pulse-{name}" for name in platform.SERVICES}
    for name in platform.SERVICES:
        held = secrets[f"pulse-{name}"]["stringData"]
        assert set(held) == platform.KEYS_OF[name] | KAFKA_CREDENTIALS | {"MONGO_URL"}, name
        assert held["PULSE_KAFKA_USERNAME"] == name
        url = urlsplit(held["MONGO_URL"])
        assert (url.username, url.path) == (name, f"/{name}"), name
        assert {"replicaSet=rs0", f"authSource={name}"} <= set(url.query.split("&")), name
    holders = [secret for secret, s in secrets.items() if "PULSE_ADMIN_KEY" in s["stringData"]]
    assert holders == ["pulse-gateway"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_builds_the_manifests_with_each_services_image_in_the_namespace() -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(MANIFESTS)], capture_output=True, text=True, timeout=60, check=True
    )
    rendered = [doc for doc in yaml.safe_load_all(built.stdout) if doc]
    assert len(rendered) == len(objects())
    namespaced = [o for o in rendered if o["kind"] != "Namespace"]
    assert {o["metadata"]["namespace"] for o in namespaced} == {"programme-pulse"}
    images = {
        o["metadata"]["name"]: o["spec"]["template"]["spec"]["containers"][0]["image"]
        for o in rendered
        if o["kind"] == "Deployment"
    }
    assert images == {
        name: f"registry.example.org/programme-pulse-{name}:0.1.0" for name in platform.SERVICES
    }


def test_configuration_gives_every_variable_the_local_runner_gives_each_service() -> None:
    config = of_kind("ConfigMap")["pulse-config"]["data"]
    layout = platform.Layout(state_dir=Path("/nonexistent"))
    infra = platform.Infra("k:9092", "mongodb://m/", started_kafka=False, started_mongo=False)
    env = platform.service_env(layout, infra, "key", ("private", "public"), principal=("p", "q"))
    for name in platform.SERVICES:
        secret = of_kind("Secret")[f"pulse-{name}"]["stringData"]
        assert set(platform.env_for(name, env)) <= set(config) | set(secret), name
    assert config["PULSE_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert config["PULSE_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    for name in ("registration", "events", "metrics"):
        assert config[f"PULSE_{name.upper()}_URL"] == f"http://{name}:{platform.DEFAULT_PORTS[name]}"


def test_pods_meet_the_restricted_pod_security_standard_with_a_read_only_root() -> None:
    labels = of_kind("Namespace")["programme-pulse"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    for name, deployment in of_kind("Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        [container] = pod["containers"]
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["capabilities"]["drop"] == ["ALL"], name
        assert context["readOnlyRootFilesystem"] is True, name
        tmp = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}["/tmp"]
        assert {"name": tmp, "emptyDir": {"sizeLimit": "64Mi"}} in pod["volumes"], name


def policies_selecting(service: str) -> list[dict[str, Any]]:
    labels = {"app.kubernetes.io/name": service}
    found = []
    for policy in of_kind("NetworkPolicy").values():
        selector = policy["spec"]["podSelector"]
        matched = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
            labels.get(e["key"]) in e["values"] for e in selector.get("matchExpressions", [])
        )
        if matched:
            found.append(policy)
    return found


def peers(service: str, direction: str) -> list[tuple[str, str, set[Any]]]:
    """(namespace or "", app name or "", ports) of every peer the policies allow `service` to talk with."""
    key = {"ingress": "from", "egress": "to"}[direction]
    allowed = []
    for policy in policies_selecting(service):
        for rule in policy["spec"].get(direction, []):
            for peer in rule[key]:
                namespace = (
                    peer.get("namespaceSelector", {})
                    .get("matchLabels", {})
                    .get("kubernetes.io/metadata.name", "")
                )
                pods = peer.get("podSelector", {})
                names = pods.get("matchLabels", {}).get("app.kubernetes.io/name") or ",".join(
                    v for e in pods.get("matchExpressions", []) for v in e["values"]
                )
                allowed.append((namespace, names or "", {p["port"] for p in rule["ports"]}))
    return allowed


def test_network_policies_deny_by_default_and_allow_only_the_designed_paths() -> None:
    policies = of_kind("NetworkPolicy")
    assert policies["default-deny"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert ("kube-system", "", {53}) in peers("gateway", "egress")
    # in: the ingress controller to the gateway; the gateway to the others; Prometheus to all
    assert sorted(p[:2] for p in peers("gateway", "ingress")) == [("ingress-nginx", ""), ("monitoring", "")]
    for name, port in platform.DEFAULT_PORTS.items():
        if name != "gateway":
            inbound = peers(name, "ingress")
            assert sorted(p[:2] for p in inbound) == [("", "gateway"), ("monitoring", "")], name
            assert any(port in ports for _, who, ports in inbound if who == "gateway"), name
            assert any(
                name in who.split(",") and port in ports for _, who, ports in peers("gateway", "egress")
            ), name
    # out: every service to Kafka's SCRAM listener, MongoDB and DNS, and nowhere else but the collector
    for name in platform.SERVICES:
        namespaces = {ns for ns, _, _ in peers(name, "egress") if ns}
        assert namespaces == {"kube-system", "kafka", "db", "observability"}, name
    bootstrap_port = int(of_kind("ConfigMap")["pulse-config"]["data"]["KAFKA_BOOTSTRAP"].rsplit(":", 1)[1])
    assert ("kafka", "", {bootstrap_port}) in peers("events", "egress")


def test_the_ingress_reaches_the_gateway_which_believes_forwarded_headers_only_from_the_controller() -> None:
    [ingress] = of_kind("Ingress").values()
    [rule] = ingress["spec"]["rules"]
    [path] = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    env = of_kind("Deployment")["gateway"]["spec"]["template"]["spec"]["containers"][0]["env"]
    allowed = {e["name"]: e["value"] for e in env}["PULSE_FORWARDED_ALLOW_IPS"]
    assert allowed not in {"*", "0.0.0.0/0"}
    for name in ("registration", "events", "metrics"):
        env = of_kind("Deployment")[name]["spec"]["template"]["spec"]["containers"][0]["env"]
        assert "PULSE_FORWARDED_ALLOW_IPS" not in {e["name"] for e in env}, name


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
