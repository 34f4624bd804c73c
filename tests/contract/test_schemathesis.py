"""The published contract is the API that answers: schemathesis, every check and every phase, finds nothing.

Against a private platform (the four services as processes on the test run's Kafka and MongoDB), so what it
creates never reaches another test's figures; the document it tests is docs/openapi.json, which the Python
client is generated from. Every check schemathesis has runs (its default); tests/contract/schemathesis.toml
says which answers count as right where the schema alone cannot. Bounded by MAX_EXAMPLES per operation and
phase and by a time budget per run; the three runs go at once (about 100 s on two shared cores).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from testkit.private_platform import platform_on_shared_infra

from pulse_local import platform

# Beyond pytest's usual 300 s: each run below has its own bound, and together they may need more on a
# loaded machine (schemathesis ends a phase only once the operation under test is done).
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
MAX_EXAMPLES = 3  # per operation and phase: fuzzing reaches all ~40 operations within its budget


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
    """One schemathesis run and its report; ended if it takes twice its budget and more."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / f"{phases.replace(',', '-')}.txt"
    command = [
        str(SCHEMATHESIS),
        f"--config-file={CONFIG}",
        "run",
        f"{url}/openapi.json",
        f"--phases={phases}",
        f"--max-examples={MAX_EXAMPLES}",
        f"--max-time={max_time_s}",
        # One worker: schemathesis' generators in two threads at once have crashed inside CPython
        # ("AST constructor recursion depth mismatch") and in linecache on 3.11.
        "--workers=1",
        "--request-timeout=20",
        "--suppress-health-check=too_slow,filter_too_much",
        "--no-color",
        f"--header=Authorization: Bearer {admin_key}",
    ]
    # In `folder`: schemathesis keeps the cases that failed there, to try them first next time.
    with report.open("w") as out:
        done = subprocess.run(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=2 * max_time_s + 30,
            check=False,
            cwd=folder,
        )
    return done.returncode, report.read_text()[-20000:]


# Each phase group on its own budget, so none is spent by another, and the three run at once: examples and
# coverage are finite (about 70 s alone here, longer beside the others; the budget only bounds them),
# fuzzing and stateful run until theirs ends.
FINITE = "examples,coverage"
RUNS = ((FINITE, 150), ("fuzzing", 45), ("stateful", 25))


def test_schemathesis_finds_no_failure_in_any_phase(infra: platform.Infra, tmp_path: Path) -> None:
    published = json.loads(PUBLISHED.read_text())
    # The admin key's own rate is raised so that the fuzzing reaches the operations rather than meeting 429
    # (the limit itself is tested in tests/reliability/test_limits.py).
    with platform_on_shared_infra(
        tmp_path / "state", infra, PULSE_RATE_PER_KEY="1000", PULSE_BURST_PER_KEY="4000"
    ) as own:
        served = _served_document(own.gateway_url, published)
        with ThreadPoolExecutor(len(RUNS)) as runs:
            started = {
                phases: runs.submit(
                    _schemathesis, own.gateway_url, own.admin_key, phases, budget, tmp_path / str(n)
                )
                for n, (phases, budget) in enumerate(RUNS)
            }
            reports = {phases: run.result() for phases, run in started.items()}
    assert served == published, "what was tested is not docs/openapi.json"
    for phases, (returncode, report) in reports.items():
        assert returncode == 0, report
        completed = phases.split(",") if phases == FINITE else []  # the others run out their time
        for phase in completed:
            assert f"✅  {phase.capitalize()} (in" in report, f"the {phase} phase did not complete:\n{report}"
        assert " passed" in report
