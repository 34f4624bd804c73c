"""Tracing is off by default and, switched on by environment, sends spans to the OTLP endpoint it is given."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pulse_local import platform

SERVE_ONE_REQUEST = """
import asyncio, httpx
from shared.settings import BaseServiceSettings
from shared.runtime.service_app import create_service_app

async def main() -> None:
    app = create_service_app(BaseServiceSettings(service_name="tracecheck", topic_prefix="tracecheck."), title="t")
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/healthz")).status_code == 200
            assert (await client.get("/no-such-route")).status_code == 404

asyncio.run(main())
"""


@pytest.fixture
def collector() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP endpoint standing where an OpenTelemetry collector would, recording the paths posted to."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def serve_one_request(infra: platform.Infra, **env: str) -> None:
    environment = {
        **os.environ,
        "KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "MONGO_URL": infra.mongo_url,
        **env,
    }
    subprocess.run([sys.executable, "-c", SERVE_ONE_REQUEST], env=environment, check=True, timeout=60)


def test_spans_reach_the_otlp_endpoint_when_tracing_is_on(
    infra: platform.Infra, collector: tuple[str, list[str]]
) -> None:
    endpoint, received = collector
    serve_one_request(infra, PULSE_OTEL_ENABLED="true", OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
    assert set(received) == {"/v1/traces"}


def test_nothing_is_sent_when_tracing_is_off(infra: platform.Infra, collector: tuple[str, list[str]]) -> None:
    endpoint, received = collector
    serve_one_request(infra, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
    assert received == []
