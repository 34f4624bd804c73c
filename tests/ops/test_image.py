"""The Dockerfile builds each service from the repository as it is.

Without a Docker engine (as on this machine) the install stage is replayed: exactly the files its COPY
lines name (less what .dockerignore leaves out) are assembled in a temporary tree, its RUN steps run there
offline from the lock, and the service is started from the environment they made, by the image's CMD,
against the test Kafka and MongoDB until /readyz answers 200. Where an engine answers, `docker build`
itself runs too.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from testkit import principals
from testkit.gateway_kit import free_port

from pulse_local import platform
from pulse_local.pytest_plugin import docker_engine_answers

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"


@dataclass
class Stage:
    name: str
    args: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    copies: list[tuple[list[str], str, str | None]] = field(default_factory=list)  # sources, dest, --from
    runs: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # command, workdir, env
    cmd: list[str] = field(default_factory=list)


def instructions(text: str) -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, rest) of each instruction, continuation lines joined, comments dropped."""
    logical = ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        logical += line.rstrip()
        if logical.endswith("\\"):
            logical = logical[:-1] + " "
            continue
        keyword, _, rest = logical.strip().partition(" ")
        yield keyword.upper(), rest.strip()
        logical = ""


def parse_dockerfile(service: str) -> dict[str, Stage]:
    """The Dockerfile's stages, with ${SERVICE} (and every other ARG) given its value."""
    global_args: dict[str, str] = {}
    stages: dict[str, Stage] = {}
    stage: Stage | None = None

    def expand(value: str) -> str:
        values = {**global_args, **(stage.args if stage else {}), **(stage.env if stage else {})}
        return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: values.get(m[1] or m[2], m[0]), value)

    for keyword, rest in instructions((ROOT / "Dockerfile").read_text()):
        if keyword == "FROM":
            name = rest.split()[-1] if " AS " in rest.upper() else str(len(stages))
            base = stages.get(rest.split()[0])  # FROM <an earlier stage>: it starts from that one
            stage = stages[name] = (
                Stage(
                    name, dict(base.args), dict(base.env), base.workdir, list(base.copies), [], list(base.cmd)
                )
                if base
                else Stage(name)
            )
        elif keyword == "ARG":
            key, _, default = rest.partition("=")
            value = service if key == "SERVICE" else default or global_args.get(key, "")
            (stage.args if stage else global_args)[key] = value
        elif stage is None:
            continue
        elif keyword == "ENV":
            for key, value in re.findall(r"(\w+)=(\S+)", rest):
                stage.env[key] = expand(value)
        elif keyword == "WORKDIR":
            stage.workdir = expand(rest)
        elif keyword == "COPY":
            words = [expand(w) for w in rest.split()]
            source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            stage.copies.append((paths[:-1], paths[-1], source_stage))
        elif keyword == "RUN":
            stage.runs.append((expand(rest), stage.workdir, dict(stage.env)))
        elif keyword == "CMD":
            stage.cmd = json.loads(rest)
    return stages


def ignored(relative: str, patterns: list[str]) -> bool:
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        anywhere = pattern.removeprefix("**/")
        for prefix in prefixes:
            last = prefix.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(prefix, pattern) or (
                pattern != anywhere and fnmatch.fnmatchcase(last, anywhere)
            ):
                return True
    return False


def assemble(sources: list[str], dest: Path) -> None:
    """Copy what `COPY <sources> <dest>` takes from the build context, as Docker would."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in sources:
        base = ROOT / source
        assert base.exists(), f"the Dockerfile copies {source}, which the repository lacks"
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            relative = path.relative_to(ROOT).as_posix()
            if ignored(relative, patterns):
                continue
            target = dest / path.name if base.is_file() else dest / path.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def target_of(stages: dict[str, Stage], service: str) -> Stage:
    """The stage a service's image is built to: its own where it has one (the gateway's door app, metrics'
    PDF libraries), `service` otherwise."""
    return stages.get(service, stages["service"])


def image_root(stages: dict[str, Stage], target: Stage, tree: Path) -> Path:
    """Replay the install stage into `tree`, and the target's other copies from build stages into it.

    Returns where the install stage's WORKDIR is: its environment runs in place (a venv cannot move).
    """
    install = stages["install"]
    assert any(source == "install" for _, _, source in target.copies)
    workdir = _replay(install, tree)
    for sources, dest, source_stage in target.copies:
        if source_stage in (None, "install"):
            continue
        stage_tree = tree.parent / f"{tree.name}-{source_stage}"
        built = _replay(stages[source_stage], stage_tree)
        for source in sources:
            origin = stage_tree / source.lstrip("/") if source.startswith("/") else built / source
            shutil.copytree(origin, tree / dest.lstrip("/"))
    return workdir


def _replay(stage: Stage, tree: Path) -> Path:
    """Assemble a stage's COPYs from the context into `tree` and run its RUN steps offline there."""
    workdir = tree / stage.workdir.lstrip("/")
    for sources, dest, source_stage in stage.copies:
        assert source_stage is None
        assemble(sources, workdir / dest if not dest.startswith("/") else tree / dest.lstrip("/"))
    uv_version = subprocess.run([str(UV), "--version"], capture_output=True, text=True).stdout.split()[1]
    for command, run_dir, env in stage.runs:
        pinned = re.search(r"pip install .*\buv==([\w.]+)", command)
        if pinned:  # uv itself: the same version is already here
            assert pinned[1] == uv_version, (
                f"the Dockerfile pins uv {pinned[1]}, this machine has {uv_version}"
            )
            continue
        result = subprocess.run(
            command,
            shell=True,
            cwd=tree / run_dir.lstrip("/"),
            env={
                "PATH": f"{UV.parent}:{os.environ['PATH']}",
                "HOME": os.environ.get("HOME", "/root"),
                "UV_OFFLINE": "1",  # from uv's cache: what the lock names, nothing else
                "UV_PYTHON": "python3.11",  # the image's base is python:3.11
                **env,
                "UV_COMPILE_BYTECODE": "0",  # what is installed is the same; compiling took ~4 s a service
                "npm_config_offline": "true",  # from npm's cache (`make door` filled it), as locked
            },
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
    return workdir


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return int(response.status)
    except OSError:
        return 0


def guess_status(port: int, forwarded_for: str) -> int:
    """The status of a request with a key that does not exist, saying it is forwarded for `forwarded_for`."""
    headers = {"Authorization": "Bearer pk_guess", "X-Forwarded-For": forwarded_for}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/events", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make .venv/.synced` into .tools/")
@pytest.mark.parametrize("service", platform.SERVICES)
def test_the_install_stage_builds_a_service_that_answers_ready(
    service: str, infra: platform.Infra, unique_name: str, tmp_path: Path
) -> None:
    stages = parse_dockerfile(service)
    final = target_of(stages, service)
    app = image_root(stages, final, tmp_path / "tree")
    venv = app / ".venv"
    assert (venv / "bin" / "uvicorn").exists()
    installed = {
        p.name.split("-")[0] for p in (venv / "lib").glob("python3.*/site-packages/pulse_*.dist-info")
    }
    assert installed == {"pulse_shared", f"pulse_{service}"}  # only what this service needs
    port = free_port()
    env = {
        **{k: v.replace("/app/", f"{app}/") for k, v in final.env.items()},
        "PATH": f"{venv}/bin:/usr/bin:/bin",
        "PORT": str(port),
        "KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "MONGO_URL": infra.mongo_url,
        "PULSE_TOPIC_PREFIX": f"{unique_name}.",
        "PULSE_MONGO_DB_PREFIX": f"{unique_name}_",
        "PULSE_TOPIC_PARTITIONS": "1",
        "PULSE_ADMIN_KEY": f"pulse_admin_{unique_name}_for_the_image_test",
    }
    # Each service refuses to start without its half of the principal key pair, and gets only that half.
    if service == "gateway":
        env["PULSE_PRINCIPAL_PRIVATE_KEY"] = principals.PRIVATE_KEY
        # Proxies elsewhere; three failed keys from one address, and that address is held back.
        env |= {
            "PULSE_FORWARDED_ALLOW_IPS": "203.0.113.0/24",
            "PULSE_AUTH_FAILURE_RATE": "0.001",
            "PULSE_AUTH_FAILURE_BURST": "3",
        }
    else:
        env["PULSE_PRINCIPAL_PUBLIC_KEY"] = principals.PUBLIC_KEY
    assert env["SERVICE"] == service
    with (tmp_path / "service.log").open("wb") as log:
        proc = subprocess.Popen(final.cmd, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while http_status(f"http://127.0.0.1:{port}/readyz") != 200 and proc.poll() is None:
            assert time.monotonic() < deadline, (tmp_path / "service.log").read_text()[-3000:]
            time.sleep(0.2)
        assert proc.poll() is None, (tmp_path / "service.log").read_text()[-3000:]
        if service == "gateway":  # the door app's QR reader, from the Node stage
            assert http_status(f"http://127.0.0.1:{port}/door/scanner/reader.js") == 200
            # Served as the image serves it, a caller on the gateway's own host is not a proxy either: a new
            # X-Forwarded-For each time does not make its guesses another client's.
            guesses = [guess_status(port, f"198.51.100.{n}") for n in range(4)]
            assert guesses == [401, 401, 401, 429]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_image_test_reads_every_copy_and_run_of_the_install_stage() -> None:
    stages = parse_dockerfile("events")
    install = stages["install"]
    assert [sources for sources, _, _ in install.copies] == [
        ["pyproject.toml", "uv.lock"],
        ["shared"],
        ["services/events"],
    ]
    assert any("--package pulse-events" in command for command, _, _ in install.runs)
    assert ignored("services/events/tests/test_x.py", ["services/*/tests"])
    assert ignored("shared/src/shared/__pycache__/x.pyc", ["**/__pycache__"])
    assert not ignored("shared/src/shared/settings.py", ["**/__pycache__", "services/*/tests"])


@pytest.mark.skipif(not docker_engine_answers(), reason="no Docker engine answers here (`docker info` fails)")
def test_docker_builds_the_gateway_image() -> None:
    result = subprocess.run(
        [
            "docker",
            "build",
            "--build-arg",
            "SERVICE=gateway",
            "-t",
            "programme-pulse-gateway:test",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    user = subprocess.run(
        ["docker", "image", "inspect", "-f", "{{.Config.User}}", "programme-pulse-gateway:test"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert user.stdout.strip() == "10001"


# What WeasyPrint opens with dlopen (weasyprint/text/ffi.py); harfbuzz-subset is optional to it, but the PDF's
# embedded fonts are subset with it.
PDF_LIBRARIES = ("libgobject-2.0", "libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libfontconfig")


def installed_dependencies(packages: set[str]) -> set[str]:
    """The packages given and everything they depend on, as this machine's dpkg database records it."""
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${Pre-Depends}, ${Depends}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    depends: dict[str, set[str]] = {}
    for line in listing.splitlines():
        name, _, fields = line.partition("\t")
        alternatives = re.split(r"[,|]", fields)
        depends[name] = {re.sub(r"\(.*?\)|:any", "", a).strip() for a in alternatives} - {""}
    closure, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo.extend(depends.get(name, ()))
    return closure


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="the check reads Debian's package database")
def test_the_metrics_image_installs_every_library_the_pdf_report_loads() -> None:
    metrics = target_of(parse_dockerfile("metrics"), "metrics")
    installs = [c for c, _, _ in metrics.runs if "apt-get install" in c]
    assert installs, "the metrics image installs no system packages; WeasyPrint cannot load pango"
    listed = {
        w for w in installs[0].split("apt-get install", 1)[1].split("&&")[0].split() if not w.startswith("-")
    }
    maps = subprocess.run(
        [sys.executable, "-c", "import weasyprint.text.ffi; print(open('/proc/self/maps').read())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    opened = {line.split()[-1] for line in maps.splitlines() if any(name in line for name in PDF_LIBRARIES)}
    assert {Path(path).name.split(".so")[0] for path in opened} >= set(PDF_LIBRARIES)
    owners = {
        subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True).stdout.split(":")[0]
        for path in opened
    }
    assert owners <= installed_dependencies(listed), owners - installed_dependencies(listed)
