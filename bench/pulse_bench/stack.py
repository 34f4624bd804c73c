"""A private platform for one benchmark run: its own Kafka, FerretDB, the four services and the bare floor app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pulse_local import ferretdb, kafka, platform
from pulse_local.process import ManagedProcess

BENCH_DIR = Path(__file__).resolve().parents[1]
# A 10,000-record batch can take longer than the gateway's default 30 s upstream timeout on a busy 2-core
# machine; the benchmark measures throughput, so the gateway waits for the answer instead of giving up.
SETTINGS = {"PULSE_UPSTREAM_READ_TIMEOUT_S": "300"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class FreshFerret:
    port: int
    data_dir: Path
    pid: int


@contextmanager
def fresh_ferretdb(binary: Path, sqlite_query: str = "") -> Iterator[FreshFerret]:
    """FerretDB on a free port over a new temporary folder (`?sqlite_query` on its SQLite URL); stopped on exit."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "GOGC": os.environ.get("GOGC", "400")}  # as the local runner runs it
        url = f"file:{data}/" + (f"?{sqlite_query}" if sqlite_query else "")
        argv = [str(binary), "-listen-addr", f"127.0.0.1:{port}", "-sqlite-url", url]
        server = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
        try:
            while not ferretdb.ping(port):
                time.sleep(0.1)
            yield FreshFerret(port, Path(data), server.pid)
        finally:
            server.terminate()
            server.wait()


@dataclass(frozen=True)
class Stack:
    layout: platform.Layout
    infra: platform.Infra
    env: dict[str, str]
    admin_key: str
    bare_url: str

    def url(self, service: str) -> str:
        return self.layout.url(service)

    @property
    def db_prefix(self) -> str:
        """What each service's database name starts with (`PULSE_MONGO_DB_PREFIX`)."""
        return self.env.get("PULSE_MONGO_DB_PREFIX", "")

    def pid(self, service: str) -> int | None:
        if service == "bare":
            return ManagedProcess("bare", self.layout.state_dir / "services").pid()
        if service == "kafka":
            return kafka.process(self.layout.kafka).pid()
        if service == "ferretdb":
            return ferretdb.process(self.layout.ferret).pid()
        return self.layout.service_process(service).pid()

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each process of the platform."""
        return {name: cpu_seconds(self.pid(name)) for name in PROCESSES}


PROCESSES = ("gateway", "registration", "events", "metrics", "kafka", "ferretdb")
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each process used between two looks, and their total."""
    used = {name: round(after[name] - before[name], 2) for name in before}
    used["total"] = round(sum(used.values()), 2)
    return used


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of a process (uvicorn runs the app in its own process: no workers)."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except FileNotFoundError:
        return None
    return None


def _wait_http(url: str, proc: ManagedProcess, timeout: float = 60) -> None:
    def ok() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    proc.wait_until(ok, timeout, "answering")


@contextmanager
def private_stack(keep: bool = False, progress: Callable[[str], None] = print) -> Iterator[Stack]:
    """Start Kafka, FerretDB, the four services and the floor app on free ports; stop them all after."""
    state = Path(tempfile.mkdtemp(prefix="pulse-bench-"))
    layout = platform.Layout(
        state_dir=state,
        kafka_port=free_port(),
        kafka_controller_port=free_port(),
        mongo_port=free_port(),
        service_ports=tuple((s, free_port()) for s in ("gateway", "registration", "events", "metrics")),
    )
    bare = ManagedProcess("bare", state / "services")
    try:
        progress(
            f"starting a private Kafka on {layout.kafka_port} and FerretDB on {layout.mongo_port} in {state}"
        )
        infra = platform.Infra(
            kafka.start(layout.kafka), ferretdb.start(layout.ferret), started_kafka=True, started_mongo=True
        )
        admin = "pulse_admin_bench_" + os.urandom(16).hex()
        from shared.signed_tokens import generate_keypair

        env = platform.service_env(
            layout, infra, admin, generate_keypair(), extra=SETTINGS, principal=generate_keypair()
        )
        started = time.perf_counter()
        platform.start_services(layout, env, progress=lambda m: progress("  " + m))
        platform.wait_ready(layout)
        bare_port = free_port()
        bare.start(
            platform.serve_argv("pulse_bench.bare_app:create_app", bare_port),
            env={"PYTHONPATH": str(BENCH_DIR)},
        )
        bare_url = f"http://127.0.0.1:{bare_port}"
        _wait_http(bare_url + "/hello", bare)
        progress(f"platform ready in {time.perf_counter() - started:.1f}s")
        yield Stack(layout, infra, env, admin, bare_url)
    finally:
        bare.stop()
        platform.stop_services(layout)
        platform.stop_infra(layout)
        if keep:
            progress(f"kept logs and data in {state}")
        else:
            shutil.rmtree(state, ignore_errors=True)
