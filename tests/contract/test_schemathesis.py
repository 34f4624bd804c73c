"""The published contract is the API that answers: schemathesis, every check and every phase, finds nothing.

Against a private platform (the four services as processes on the test run's Kafka and MongoDB), so what it
creates never reaches another test's figures. Bounded: a few examples per operation and a time budget for
the fuzzing and stateful phases (90 s of schemathesis, about two minutes with the platform on two shared cores).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from testkit.private_platform import platform_on_shared_infra

from pulse_local import platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(290)]

SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 5  # per operation and phase: ~40 operations x 4 phases stays within the time budget


def test_schemathesis_finds_no_failure_in_any_phase(infra: platform.Infra, tmp_path: Path) -> None:
    with platform_on_shared_infra(tmp_path / "state", infra) as own:
        command = [
            str(SCHEMATHESIS),
            f"--config-file={CONFIG}",
            "run",
            f"{own.gateway_url}/openapi.json",
            "--checks=all",
            "--phases=examples,coverage,fuzzing,stateful",
            f"--max-examples={MAX_EXAMPLES}",
            "--max-time=90",
            "--workers=2",
            "--request-timeout=20",
            "--suppress-health-check=too_slow,filter_too_much",
            "--no-color",
            f"--header=Authorization: Bearer {own.admin_key}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    report = done.stdout[-20000:] + done.stderr[-4000:]
    assert done.returncode == 0, report
