"""The published contract is the API that answers: schemathesis, every check and every phase, finds nothing.

Against a private platform (the four services as processes on the test run's Kafka and MongoDB), so what it
creates never reaches another test's figures; the document it tests is docs/openapi.json, which the Python
client is generated from. Every check schemathesis has runs (its default); tests/contract/schemathesis.toml
says which answers count as right where the schema alone cannot. Bounded by MAX_EXAMPLES per operation and
phase (RUN_TIME below, measured on two shared cores).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from testkit.private_platform import platform_on_shared_infra

from pulse_local import platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(290)]

SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
MAX_EXAMPLES = 5  # per operation and phase: ~40 operations x 4 phases stays within the time budget


def _served_document(url: str, published: dict[str, Any]) -> dict[str, Any]:
    """The gateway's document once it has merged every service's (fetched in the background)."""
    served: dict[str, Any] = {}
    for _ in range(60):
        served = httpx.get(f"{url}/openapi.json", timeout=10).json()
        if served == published:
            break
        time.sleep(0.5)
    return served


def test_schemathesis_finds_no_failure_in_any_phase(infra: platform.Infra, tmp_path: Path) -> None:
    with platform_on_shared_infra(tmp_path / "state", infra) as own:
        served = _served_document(own.gateway_url, json.loads(PUBLISHED.read_text()))
        command = [
            str(SCHEMATHESIS),
            f"--config-file={CONFIG}",
            "run",
            f"{own.gateway_url}/openapi.json",
            "--phases=examples,coverage,fuzzing,stateful",
            f"--max-examples={MAX_EXAMPLES}",
            "--workers=2",
            "--request-timeout=20",
            "--suppress-health-check=too_slow,filter_too_much",
            "--no-color",
            f"--header=Authorization: Bearer {own.admin_key}",
        ]
        # In tmp_path: schemathesis keeps the cases that failed there, to try them first next time.
        done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False, cwd=tmp_path)
    assert served == json.loads(PUBLISHED.read_text()), "what was tested is not docs/openapi.json"
    report = done.stdout[-20000:] + done.stderr[-4000:]
    assert done.returncode == 0, report
