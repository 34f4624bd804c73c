"""Running the metrics service (in-process or as killable processes), feeding it generated facts, and
watching every figure it publishes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from metrics.app import create_app
from metrics.config import MetricsSettings
from pulse_local.platform import serve_argv
from shared.contracts.counters import CountersSnapshot, ProgrammeFigures
from shared.contracts.envelope import CloudEvent
from shared.contracts.partials import PartitionPartial
from shared.kafka.producer import EventProducer
from testkit.facts import (
    GeneratedProgramme,
    Message,
    excess,
    expected_figures,
    observed_figures,
    programme_of,
)
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

    def __init__(
        self,
        settings: MetricsSettings,
        log_path: Path,
        instance_id: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.port = free_port()
        self.log_path = log_path
        self.instance_id = instance_id
        self.extra_env = env or {}
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
            "PULSE_SNAPSHOT_MIN_INTERVAL_S": str(self.settings.snapshot_min_interval_s),
            **({"PULSE_INSTANCE_ID": self.instance_id} if self.instance_id else {}),
            **self.extra_env,
        }
        command = serve_argv("metrics.app:create_app", self.port)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

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

    async def wait_healthy(self, timeout_s: float = 60) -> None:
        async with asyncio.timeout(timeout_s), httpx.AsyncClient(timeout=2) as client:
            while True:
                try:
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)


async def read_published(settings: MetricsSettings, take: Callable[[bytes], None]) -> None:
    """Hand every record of the partials and counters topics to `take`, from their beginning, until cancelled."""
    topics = settings.topics
    consumer = AIOKafkaConsumer(
        topics.counters,
        topics.partials,
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        metadata_max_age_ms=1000,
        max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    try:
        while True:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    take(record.value or b"{}")
    finally:
        await consumer.stop()


class StreamedFacts:
    """A programme's messages sent in chunks, and the recomputed figures of those handed over so far."""

    def __init__(self, programme: GeneratedProgramme, chunk: int) -> None:
        self.programme = programme
        self.chunk = chunk
        self.handed = 0
        self._expected: dict[int, dict[str, Any]] = {}

    def expected(self, handed: int | None = None) -> dict[str, Any]:
        """The figures of the first `handed` messages (default: all handed to the producer so far)."""
        count = self.handed if handed is None else handed
        if count not in self._expected:
            sent = programme_of(self.programme.programme_id, self.programme.messages[:count])
            self._expected[count] = expected_figures(sent)
        return self._expected[count]

    async def send(self, settings: MetricsSettings, pause_s: float) -> None:
        messages = self.programme.messages
        for start in range(0, len(messages), self.chunk):
            self.handed = min(start + self.chunk, len(messages))  # before sending: they may count at once
            self.expected()
            await produce(settings, messages[start : self.handed])
            await asyncio.sleep(pause_s)


class PublishedWatch:
    """Reads every counters snapshot and partial as published; checks each snapshot's exact figures
    against the facts handed over by the time it is read (which includes all those it could count)."""

    def __init__(self, settings: MetricsSettings, stream: StreamedFacts) -> None:
        self._settings = settings
        self._stream = stream
        self.snapshots = 0
        self.excesses: list[str] = []
        self.latest: ProgrammeFigures | None = None
        self.generations: set[int] = set()
        self.owners: dict[int, str] = {}
        self.largest_lag = 0  # attendances sent but not yet in the published figures
        self._published = asyncio.Event()

    async def run(self) -> None:
        await read_published(self._settings, self._take)

    def _take(self, value: bytes) -> None:
        event = CloudEvent.model_validate_json(value)
        if event.type == "pulse.metrics.partial.v1":
            partial = PartitionPartial.model_validate(event.data)
            self.generations.add(partial.generation)
            self.owners[partial.partition] = partial.owner
            return
        snapshot = CountersSnapshot.model_validate(event.data)
        if snapshot.programme_id != self._stream.programme.programme_id:
            return
        handed = self._stream.handed
        expected = self._stream.expected(handed)
        observed = observed_figures(snapshot.exact)
        self.snapshots += 1
        self.excesses.extend(
            f"snapshot {snapshot.seq} after {handed} messages: {e}" for e in excess(observed, expected)
        )
        self.largest_lag = max(
            self.largest_lag, expected["counters"]["attendances"] - snapshot.exact.attendances
        )
        self.latest = snapshot.exact
        self._published.set()

    async def until(self, holds: Callable[[ProgrammeFigures], bool]) -> ProgrammeFigures:
        """The latest figures once `holds` is true of them."""
        while self.latest is None or not holds(self.latest):
            await self._published.wait()
            self._published.clear()
        return self.latest

    async def wait_for(self, wanted: dict[str, Any], timeout_s: float) -> ProgrammeFigures:
        """The latest figures once they equal `wanted`; fails at once on a figure above what was sent, and
        on timeout showing the difference."""
        try:
            async with asyncio.timeout(timeout_s):
                await self.until(lambda figures: observed_figures(figures) == wanted or bool(self.excesses))
        except TimeoutError:
            pass
        assert not self.excesses, self.excesses[:10]
        assert self.latest is not None, "no figures were published"
        observed = observed_figures(self.latest)
        assert observed == wanted, {"above": excess(observed, wanted), "below": excess(wanted, observed)}
        return self.latest
