"""Running the metrics service (in-process or as a killable process) and feeding it generated facts."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from metrics.app import create_app
from metrics.config import MetricsSettings
from shared.contracts.counters import ProgrammeFigures
from shared.kafka.producer import EventProducer
from testkit.facts import Message, observed_figures
from testkit.principals import admin_for


async def produce(settings: MetricsSettings, messages: Sequence[Message], chunk: int = 5000) -> None:
    """Send the messages in order, in chunks, each chunk acknowledged before the next."""
    producer = EventProducer(settings.kafka, "metrics-testkit")
    try:
        for start in range(0, len(messages), chunk):
            await producer.send([m.outgoing(settings.topics) for m in messages[start : start + chunk]])
    finally:
        await producer.stop()


@asynccontextmanager
async def running(settings: MetricsSettings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The metrics app with its lifespan and an in-process client."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://metrics") as client:
            yield app, client


async def admin_figures(client: httpx.AsyncClient) -> ProgrammeFigures | None:
    """The exact figures, or None while the service is not answering with them yet."""
    try:
        response = await client.get("/v1/programme/counters", headers=admin_for("metrics"))
    except httpx.TransportError:
        return None
    return ProgrammeFigures.model_validate(response.json()) if response.status_code == 200 else None


async def wait_for_figures(
    client: httpx.AsyncClient, wanted: dict[str, Any], timeout_s: float = 120
) -> ProgrammeFigures:
    """Poll the admin counters until they equal `wanted`; on timeout, fail showing the difference."""
    last: ProgrammeFigures | None = None
    try:
        async with asyncio.timeout(timeout_s):
            while last is None or observed_figures(last) != wanted:
                await asyncio.sleep(0.3)
                last = await admin_figures(client)
    except TimeoutError:
        assert last is not None, "the service never answered with figures"
        assert observed_figures(last) == wanted
    assert last is not None
    return last


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MetricsProcess:
    """`uvicorn metrics.app:create_app` as a separate process, so it can be killed with SIGKILL."""

    def __init__(self, settings: MetricsSettings, log_path: Path) -> None:
        self.settings = settings
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP": self.settings.kafka_bootstrap,
            "MONGO_URL": self.settings.mongo_url,
            "PULSE_TOPIC_PREFIX": self.settings.topic_prefix,
            "PULSE_MONGO_DB": self.settings.database_name,
            "PULSE_TOPIC_PARTITIONS": str(self.settings.topic_partitions),
            "PULSE_PRINCIPAL_PUBLIC_KEY": self.settings.principal_public_key,
            "PULSE_LOG_LEVEL": "WARNING",
        }
        uvicorn = Path(sys.executable).with_name("uvicorn")
        command = [str(uvicorn), "metrics.app:create_app", "--factory", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed or committed."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
