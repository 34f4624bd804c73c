"""The published contract is the API that answers: schemathesis, every check and every phase, finds nothing.

Against a private platform (the four services as processes on the test run's Kafka and MongoDB), so what it
creates never reaches another test's figures; the document it tests is docs/openapi.json, which the Python
client is generated from. Every check schemathesis has runs (its default); tests/contract/schemathesis.toml
says which answers count as right where the schema alone cannot. Bounded by MAX_EXAMPLES per operation and
phase and by a time budget per run (about 2.5 minutes in all on two shared cores).
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
MAX_EXAMPLES = 5  # per operation and phase; the time budgets below bound each run as well


def _served_document(url: str, published: dict[str, Any]) -> dict[str, Any]:
    """The gateway's document once it has merged every service's (fetched in the background)."""
    served: dict[str, Any] = {}
    for _ in range(60):
        served = httpx.get(f"{url}/openapi.json", timeout=10).json()
        if served == published:
            break
        time.sleep(0.5)
    return served


def _schemathesis(url: str, admin_key: str, phases: str, max_time_s: int, folder: Path) -> tuple[int, str]:
    """One schemathesis run and its report; within max_time_s plus the time to stop."""
    report = folder / f"{phases.replace(',', '-')}.txt"
    command = [
        str(SCHEMATHESIS),
        f"--config-file={CONFIG}",
        "run",
        f"{url}/openapi.json",
        f"--phases={phases}",
        f"--max-examples={MAX_EXAMPLES}",
        f"--max-time={max_time_s}",
        "--workers=2",
        "--request-timeout=20",
        "--suppress-health-check=too_slow,filter_too_much",
        "--no-color",
        f"--header=Authorization: Bearer {admin_key}",
    ]
    # In `folder`: schemathesis keeps the cases that failed there, to try them first next time.
    with report.open("w") as out:
        done = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, timeout=max_time_s + 40, check=False, cwd=folder
        )
    return done.returncode, report.read_text()[-20000:]


def test_schemathesis_finds_no_failure_in_any_phase(infra: platform.Infra, tmp_path: Path) -> None:
    published = json.loads(PUBLISHED.read_text())
    with platform_on_shared_infra(tmp_path / "state", infra) as own:
        served = _served_document(own.gateway_url, published)
        # The stateful phase on its own budget: a shared one would be spent by fuzzing first.
        single = _schemathesis(own.gateway_url, own.admin_key, "examples,coverage,fuzzing", 100, tmp_path)
        chained = _schemathesis(own.gateway_url, own.admin_key, "stateful", 40, tmp_path)
    assert served == published, "what was tested is not docs/openapi.json"
    assert single[0] == 0, single[1]
    assert chained[0] == 0, chained[1]
    assert "Stateful" in chained[1]
