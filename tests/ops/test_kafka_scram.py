"""Kafka clients authenticate with SASL/SCRAM, as in docker-compose.yml: a private broker of the local runner
with a SCRAM listener takes the right credentials on every kind of client and refuses a wrong password."""

from __future__ import annotations

import ast
import asyncio
import logging
import os
import secrets
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from testkit.builders import attendance
from testkit.gateway_kit import free_port
from testkit.tasks import cancel_and_wait

from pulse_local import kafka, platform
from shared.contracts.envelope import new_event
from shared.contracts.payloads import ATTENDANCE_RECORDED
from shared.contracts.topics import Topics
from shared.kafka.connection import KafkaConnection
from shared.kafka.consumer import ConsumerLoop, Fact
from shared.kafka.producer import EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.settings import BaseServiceSettings

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = secrets.token_urlsafe(18)


@pytest.fixture(scope="module")
def scram_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[kafka.KafkaConfig]:
    """A broker of its own whose client listener takes SCRAM-SHA-512 users only: `events`, with PASSWORD."""
    config = kafka.KafkaConfig(
        tmp_path_factory.mktemp("scram-kafka"),
        port=free_port(),
        controller_port=free_port(),
        scram_users=(("events", PASSWORD),),
        broker_port=free_port(),
    )
    try:
        kafka.start(config)
        yield config
    finally:
        kafka.stop(config)


@pytest.fixture(scope="module")
def scram_broker(scram_config: kafka.KafkaConfig) -> str:
    return scram_config.bootstrap


def as_user(bootstrap: str, username: str, password: str) -> KafkaConnection:
    return KafkaConnection(bootstrap, "SASL_PLAINTEXT", "SCRAM-SHA-512", username, password)


async def test_the_right_credentials_create_topics_produce_and_consume(scram_broker: str) -> None:
    events = as_user(scram_broker, "events", PASSWORD)
    topics = Topics(prefix="scram.")
    await ensure_topics(events, topics, partitions=1, replication=1)
    producer = EventProducer(events, "scram-test")
    received: list[Fact[Any]] = []
    got_it = asyncio.Event()

    async def handle(batch: Sequence[Fact[Any]]) -> None:
        received.extend(batch)
        got_it.set()

    loop = ConsumerLoop(
        kafka=events,
        group_id="scram-test",
        topics=[topics.attendance],
        handler=handle,
        producer=producer,
        deadletter_topic=topics.deadletter,
    )
    consuming = asyncio.create_task(loop.run())
    try:
        event = new_event(source="/test", type=ATTENDANCE_RECORDED, subject="p1", data=attendance(1))
        await producer.send([Outgoing(topics.attendance, "p1", event)])
        async with asyncio.timeout(30):
            await got_it.wait()
        assert [r.event.id for r in received] == [event.id]
    finally:
        loop.stop()
        await cancel_and_wait(consuming)
        await producer.stop()


@pytest.mark.parametrize(
    ("username", "password"),
    [("events", "not-the-password"), ("nobody", PASSWORD)],
    ids=["wrong-password", "unknown-user"],  # the same on every xdist worker: PASSWORD is random
)
async def test_a_wrong_password_or_user_is_refused_and_the_log_says_why(
    scram_broker: str, username: str, password: str, caplog: pytest.LogCaptureFixture
) -> None:
    producer = EventProducer(as_user(scram_broker, username, password), "scram-test")
    with caplog.at_level(logging.ERROR, logger="aiokafka"):
        assert await producer.ping(timeout_s=10) is False
    await producer.stop()
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "SaslAuthenticationFailed" in said
    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in said


async def test_a_plaintext_client_gets_nothing_from_the_scram_listener(scram_broker: str) -> None:
    producer = EventProducer(KafkaConnection(scram_broker), "scram-test")
    try:
        assert await producer.ping(timeout_s=5) is False
    finally:
        await producer.stop()


async def test_the_compose_users_step_makes_users_the_broker_takes(
    scram_config: kafka.KafkaConfig, tmp_path: Path
) -> None:
    """docker-compose.yml's kafka-users step, run here: its kafka-configs calls are Kafka's ConfigCommand."""
    step = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["kafka-users"]
    script = step["command"][0].replace("$$", "$")  # compose's escape of a literal $
    assert "/opt/kafka/bin/kafka-configs.sh" in script
    assert "127.0.0.1:19092" in script
    kafka_configs = tmp_path / "kafka-configs.sh"
    classpath = os.pathsep.join(str(jar) for jar in kafka.ensure_installed())
    kafka_configs.write_text(
        f'#!/bin/sh\nexec {kafka._java()} -cp {classpath} kafka.admin.ConfigCommand "$@"\n'
    )
    kafka_configs.chmod(0o755)
    script = script.replace("/opt/kafka/bin/kafka-configs.sh", str(kafka_configs))
    script = script.replace("127.0.0.1:19092", f"127.0.0.1:{scram_config.broker_port}")
    passwords = {name: secrets.token_urlsafe(24) for name in step["environment"]}
    done = await asyncio.to_thread(
        subprocess.run,
        [*step["entrypoint"], script],
        env={"PATH": os.environ["PATH"], **passwords},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name in platform.SERVICES:
        producer = EventProducer(
            as_user(scram_config.bootstrap, name, passwords[f"KAFKA_{name.upper()}_PASSWORD"]), "t"
        )
        try:
            assert await producer.ping(timeout_s=10) is True, name
        finally:
            await producer.stop()


def test_settings_build_the_connection_and_refuse_sasl_without_credentials() -> None:
    settings = BaseServiceSettings(
        kafka_bootstrap="kafka:9092",
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_username="events",
        kafka_password=PASSWORD,
    )
    assert settings.kafka == as_user("kafka:9092", "events", PASSWORD)
    assert PASSWORD not in repr(settings.kafka)
    with pytest.raises(ValueError, match="needs PULSE_KAFKA_USERNAME and PULSE_KAFKA_PASSWORD"):
        BaseServiceSettings(kafka_security_protocol="SASL_PLAINTEXT", kafka_username="events")


def test_every_aiokafka_client_of_the_services_gets_the_connection_options() -> None:
    """No producer, consumer or admin client is made with its own bootstrap or security arguments."""
    made = []
    for path in [*ROOT.glob("shared/src/**/*.py"), *ROOT.glob("services/*/src/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("AIOKafka"):
                spread = [k.value for k in node.keywords if k.arg is None]
                given = {k.arg for k in node.keywords} & {"bootstrap_servers", "security_protocol"}
                uses_options = any(
                    isinstance(v, ast.Call) and getattr(v.func, "attr", "") == "client_options"
                    for v in spread
                )
                made.append((path.relative_to(ROOT).as_posix(), node.func.id, uses_options and not given))  # type: ignore[attr-defined]
    assert {(path, kind) for path, kind, _ in made} >= {
        ("shared/src/shared/kafka/producer.py", "AIOKafkaProducer"),
        ("shared/src/shared/kafka/consumer.py", "AIOKafkaConsumer"),
        ("shared/src/shared/kafka/topics_admin.py", "AIOKafkaAdminClient"),
    }
    assert [m for m in made if not m[2]] == []
    # One consumer loop: no service makes a consumer of its own.
    assert {path for path, kind, _ in made if kind == "AIOKafkaConsumer"} == {
        "shared/src/shared/kafka/consumer.py"
    }
