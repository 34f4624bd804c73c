"""Install Apache Kafka from Maven Central and run it as one KRaft broker+controller."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from pulse_local.process import (
    PRIVATE_UMASK,
    InfraError,
    ManagedProcess,
    cache_dir,
    port_open,
    private_dir,
    require_port_free,
    write_private,
)

KAFKA_VERSION = "4.1.1"
HOST = "127.0.0.1"
POM = Path(__file__).resolve().parents[2] / "kafka" / "pom.xml"
# The broker side of SCRAM, the same file docker-compose.yml mounts into its broker.
JAAS_FILE = Path(__file__).resolve().parents[3] / "kafka" / "kafka_server_jaas.conf"
SCRAM_MECHANISM = "SCRAM-SHA-512"
READY_LINE = "Kafka Server started"
JVM_OPTS = (
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseSerialGC",  # one GC thread is plenty for a dev broker on a 2-core machine
    # C1 only: starts in about half the time on 2 cores, and Python clients cannot load the broker enough
    # for C2's faster code to show
    "-XX:TieredStopAtLevel=1",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
)

# log4j's own shutdown hook would stop logging before Kafka has logged its shutdown
LOG4J2_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN" shutdownHook="disable">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="stdout"/></Root>
    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
    <Logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
    <Logger name="kafka.log" level="WARN"/>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="kafka.network.RequestChannel$" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="org.apache.kafka.metadata" level="WARN"/>
    <Logger name="org.apache.kafka.image" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="WARN"/>
    <Logger name="org.apache.kafka.raft" level="WARN"/>
    <Logger name="kafka.raft" level="WARN"/>
  </Loggers>
</Configuration>
"""


@dataclass(frozen=True)
class KafkaConfig:
    """One broker. With `scram_users` (name, password), clients must authenticate with SASL/SCRAM on `port`
    (SASL_PLAINTEXT, as in docker-compose.yml), the users being created when the storage is formatted, and
    the broker talks to itself on a PLAINTEXT listener at `broker_port`."""

    state_dir: Path  # data, logs, pid file, server.properties live here
    port: int = 9092
    controller_port: int = 9093
    scram_users: tuple[tuple[str, str], ...] = ()
    broker_port: int = 0

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.state_dir.resolve() / "data"

    @property
    def properties_file(self) -> Path:
        return self.state_dir.resolve() / "server.properties"

    @property
    def log4j_file(self) -> Path:
        return self.state_dir.resolve() / "log4j2.xml"


def process(config: KafkaConfig) -> ManagedProcess:
    return ManagedProcess("kafka", config.state_dir)


def ensure_installed() -> list[Path]:
    """The broker's classpath jars, resolved by Maven once per pom content and then read from the cache."""
    if not POM.is_file():
        raise InfraError(f"The Kafka Maven POM {POM} is missing; run pulse-local from a repo checkout.")
    pom_hash = hashlib.sha256(POM.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / f"kafka-{KAFKA_VERSION}" / f"classpath-{pom_hash}.txt"
    if cached.is_file():
        jars = _split_classpath(cached.read_text())
        if jars and all(jar.is_file() for jar in jars):  # ~/.m2 may have been cleaned since
            return jars
    mvn = shutil.which("mvn")
    if mvn is None:
        raise InfraError("Maven (mvn) is not on PATH; install it (apt-get install maven) to fetch Kafka.")
    print(f"Resolving Kafka {KAFKA_VERSION} from Maven Central (first run only, ~1 min)...", file=sys.stderr)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    argv = [
        mvn, "-B", "-q", "-f", str(POM), "dependency:build-classpath",
        f"-Dmdep.outputFile={partial}", "-Dmdep.includeScope=runtime", "-Dmdep.pathSeparator=" + os.pathsep,
    ]  # fmt: skip
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise InfraError("Maven took over 15 minutes to resolve Kafka; check access to Maven Central.") from e
    jars = _split_classpath(partial.read_text()) if result.returncode == 0 and partial.is_file() else []
    if not jars:
        output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # Maven colours even with -B
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise InfraError(
            f"Maven could not resolve Kafka {KAFKA_VERSION} from {POM}; check that Maven Central is "
            f"reachable (proxy/mirror in ~/.m2/settings.xml) and that ~/.m2 is writable:\n{tail}"
        )
    partial.replace(cached)
    return jars


def start(config: KafkaConfig, timeout: float = 120) -> str:
    """Start the broker unless it already runs, wait until it serves, and return its bootstrap address."""
    proc = process(config)
    if proc.running_becomes_ready(
        lambda: port_open(HOST, config.port), timeout, f"ready on port {config.port}"
    ):
        return config.bootstrap
    require_port_free(HOST, config.port, "Kafka")
    require_port_free(HOST, config.controller_port, "the Kafka controller")
    java = _java()
    classpath = os.pathsep.join(str(jar) for jar in ensure_installed())
    private_dir(config.state_dir)
    write_private(config.properties_file, _server_properties(config))
    write_private(config.log4j_file, LOG4J2_XML)
    jvm = [java, *JVM_OPTS, f"-Dlog4j2.configurationFile={config.log4j_file}", "-cp", classpath]
    if config.scram_users:
        jvm.insert(1, f"-Djava.security.auth.login.config={JAAS_FILE}")
    if not (config.data_dir / "meta.properties").is_file():
        _format_storage(config, jvm)
    # The log is appended across runs, so only what this run writes may say it is ready
    log_offset = proc.log_size()
    proc.start([*jvm, "kafka.Kafka", str(config.properties_file)], cwd=config.state_dir)

    def ready() -> bool:
        return READY_LINE in _log_since(proc.log_file, log_offset) and port_open(HOST, config.port)

    proc.wait_until(ready, timeout, f"ready on port {config.port}", log_from=log_offset)
    return config.bootstrap


def stop(config: KafkaConfig) -> None:
    process(config).stop(timeout=30.0)  # a clean shutdown flushes and closes its logs, which may take a while


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME", "")
    in_home = Path(java_home) / "bin" / "java"
    candidate = str(in_home) if java_home and os.access(in_home, os.X_OK) else shutil.which("java")
    if candidate is None:
        raise InfraError(
            "Java (java) is not on PATH; install Java 17 or newer (apt-get install openjdk-17-jre-headless)."
        )
    return candidate


def _format_storage(config: KafkaConfig, jvm: list[str]) -> None:
    cluster_id = _cluster_id(config.state_dir)
    argv = [*jvm, "kafka.tools.StorageTool", "format", "--standalone", "-t", cluster_id]
    argv += ["-c", str(config.properties_file)]
    for name, password in config.scram_users:
        argv += ["--add-scram", f"{SCRAM_MECHANISM}=[name={name},password={password}]"]
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, umask=PRIVATE_UMASK
    )
    if result.returncode != 0:
        raise InfraError(
            f"Formatting Kafka storage in {config.data_dir} failed; delete that folder to start afresh:\n"
            f"{(result.stdout + result.stderr).strip()}"
        )


def _cluster_id(state_dir: Path) -> str:
    """A cluster id kept in the state dir."""
    path = state_dir / "cluster-id"
    if path.is_file():
        return path.read_text().strip()
    cluster_id = new_cluster_id()
    write_private(path, cluster_id + "\n")
    return cluster_id


def new_cluster_id() -> str:
    """A cluster id made like Kafka's Uuid: url-safe base64 of 16 random bytes."""
    cluster_id = "-"
    while cluster_id.startswith("-"):  # Kafka refuses ids with a leading dash, which read as CLI options
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    return cluster_id


def _server_properties(config: KafkaConfig) -> str:
    props = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"{HOST}:{config.controller_port}",
        "controller.listener.names": "CONTROLLER",
        "listeners": f"PLAINTEXT://{HOST}:{config.port},CONTROLLER://{HOST}:{config.controller_port}",
        "advertised.listeners": f"PLAINTEXT://{HOST}:{config.port}",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(config.data_dir),
        "num.partitions": "3",
        "default.replication.factor": "1",
        "auto.create.topics.enable": "true",
        "log.retention.ms": "-1",  # topics keep their whole history
        "log.retention.bytes": "-1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        # 50 partitions each (the default) make the first group or transaction wait seconds for their creation
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.num.partitions": "5",
        "group.initial.rebalance.delay.ms": "0",
        # After a crash the new broker cannot register until the old one's session expires (9s by default)
        "broker.session.timeout.ms": "5000",
        "broker.heartbeat.interval.ms": "1000",
        # Thread pools sized for 2 cores rather than a production host
        "num.network.threads": "2",
        "num.io.threads": "4",
        "background.threads": "4",
        "num.recovery.threads.per.data.dir": "1",
        "num.replica.fetchers": "1",
        "log.cleaner.threads": "1",
        "log.cleaner.dedupe.buffer.size": str(8 << 20),  # the 128 MiB default would eat a 512 MiB heap
        # An erased participant's key leaves pulse.participant-keys at the cleaner's next look (docs/privacy.md)
        "log.cleaner.backoff.ms": "1000",
    }
    if config.scram_users:
        props.update(scram_listeners(config))
    return "".join(f"{key}={value}\n" for key, value in props.items())


def scram_listeners(config: KafkaConfig) -> dict[str, str]:
    """Listeners of a broker whose clients authenticate with SCRAM (CLIENT) and that reaches itself on BROKER."""
    return {
        "listeners": (
            f"CLIENT://{HOST}:{config.port},BROKER://{HOST}:{config.broker_port},"
            f"CONTROLLER://{HOST}:{config.controller_port}"
        ),
        "advertised.listeners": f"CLIENT://{HOST}:{config.port},BROKER://{HOST}:{config.broker_port}",
        "inter.broker.listener.name": "BROKER",
        "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms": SCRAM_MECHANISM,
    }


def _split_classpath(text: str) -> list[Path]:
    return [Path(part) for part in text.strip().split(os.pathsep) if part]


def _log_since(log_file: Path, offset: int) -> str:
    try:
        with log_file.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")
    except FileNotFoundError:
        return ""
