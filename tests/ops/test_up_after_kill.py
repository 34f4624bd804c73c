"""`pulse-local up` after every part was SIGKILLed brings the whole platform back on its first run.

The killed processes stay zombies (this test is their parent and reaps them only afterwards), as processes
killed after `make up` exited stay until init reaps them (up to 2 s here): the runner must not take one
for a running process.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from testkit.private_platform import private_platform

from pulse_local import ferretdb, kafka, platform

pytestmark = pytest.mark.e2e
PULSE_LOCAL = str(Path(sys.executable).with_name("pulse-local"))


def readyz(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=3) as response:
            return int(response.status)
    except OSError:
        return 0


def run_reaping_nothing(argv: list[str], env: dict[str, str], log: Path, timeout_s: float) -> int:
    """Run argv to its end without `subprocess`, whose every new Popen reaps the exited children it knows."""
    with log.open("wb") as out:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, out.fileno(), 2)]
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        waited, status = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise TimeoutError(f"{argv} did not finish within {timeout_s:.0f}s; see {log}")


def test_up_after_each_service_and_server_was_killed_brings_all_back_at_once(tmp_path: Path) -> None:
    with private_platform(tmp_path / "state") as own:
        layout = own.layout
        processes = [
            *(layout.service_process(s) for s in platform.SERVICES),
            kafka.process(layout.kafka),
            ferretdb.process(layout.ferret),
        ]
        killed = [proc.pid() for proc in processes]
        assert None not in killed
        for pid in killed:
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
        try:
            clean = {k: v for k, v in os.environ.items() if k not in {"KAFKA_BOOTSTRAP", "MONGO_URL"}}
            env = {
                **clean,
                **{k: v for k, v in own.env.items() if k not in {"KAFKA_BOOTSTRAP", "MONGO_URL"}},
                "PULSE_STATE_DIR": str(layout.state_dir),
                "PULSE_KAFKA_PORT": str(layout.kafka_port),
                "PULSE_KAFKA_CONTROLLER_PORT": str(layout.kafka_controller_port),
                "PULSE_MONGO_PORT": str(layout.mongo_port),
                **{f"PULSE_{s.upper()}_PORT": str(port) for s, port in layout.service_ports},
            }
            returncode = run_reaping_nothing([PULSE_LOCAL, "up"], env, tmp_path / "up.log", timeout_s=240)
        finally:
            for pid in killed:
                assert pid is not None
                os.waitpid(pid, 0)
        assert returncode == 0, (tmp_path / "up.log").read_text()
        assert {s: readyz(layout.url(s)) for s in platform.SERVICES} == dict.fromkeys(platform.SERVICES, 200)
        assert all(proc.pid() not in killed for proc in processes)
