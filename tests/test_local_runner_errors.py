"""Bad configuration ends with one clear sentence and a non-zero exit, not a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PULSE_LOCAL = str(Path(sys.executable).with_name("pulse-local"))


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"KAFKA_BOOTSTRAP", "MONGO_URL"}}
    return subprocess.run(
        [PULSE_LOCAL, *args], capture_output=True, text=True, timeout=120, env={**clean, **env}
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def assert_one_sentence_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_an_unreachable_kafka_bootstrap_is_named(tmp_path: Path) -> None:
    port = closed_port()
    result = run_cli(
        "infra",
        KAFKA_BOOTSTRAP=f"127.0.0.1:{port}",
        MONGO_URL="mongodb://127.0.0.1:1/",
        PULSE_STATE_DIR=str(tmp_path),
    )
    assert_one_sentence_error(
        result, f"KAFKA_BOOTSTRAP=127.0.0.1:{port} does not answer", "unset KAFKA_BOOTSTRAP"
    )


def test_an_unreachable_mongo_url_is_named(tmp_path: Path, busy_port: int) -> None:
    port = closed_port()
    result = run_cli(
        "infra",
        KAFKA_BOOTSTRAP=f"127.0.0.1:{busy_port}",
        MONGO_URL=f"mongodb://127.0.0.1:{port}/",
        PULSE_STATE_DIR=str(tmp_path),
    )
    assert_one_sentence_error(result, "MONGO_URL=", "does not answer")


def test_a_port_in_use_is_named(tmp_path: Path, busy_port: int) -> None:
    result = run_cli(
        "infra",
        PULSE_KAFKA_PORT=str(busy_port),
        PULSE_KAFKA_CONTROLLER_PORT=str(closed_port()),
        PULSE_STATE_DIR=str(tmp_path),
    )
    assert_one_sentence_error(result, f"Port {busy_port} is already in use")


def test_missing_java_is_named(tmp_path: Path) -> None:
    # PATH without java (or mvn): only the venv's own scripts and the basic system tools.
    path = f"{Path(sys.executable).parent}:/nonexistent"
    result = run_cli(
        "infra",
        PATH=path,
        PULSE_STATE_DIR=str(tmp_path),
        PULSE_KAFKA_PORT=str(closed_port()),
        PULSE_KAFKA_CONTROLLER_PORT=str(closed_port()),
        PULSE_CACHE_DIR=str(tmp_path / "cache"),
    )
    assert_one_sentence_error(result)
    assert "Maven" in result.stderr or "Java" in result.stderr or "java" in result.stderr
