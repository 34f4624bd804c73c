"""The local runner's state folder is its owner's alone, including what its processes create later."""

from __future__ import annotations

import stat
import time
from pathlib import Path

from pulse_local.process import ManagedProcess, make_private, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_a_process_creates_later_are_private(tmp_path: Path) -> None:
    proc = ManagedProcess("writer", tmp_path / "state")
    proc.start(["sh", "-c", "mkdir -p data/sub && echo x > data/sub/page && touch done"], cwd=tmp_path)
    deadline = time.monotonic() + 10
    while not (tmp_path / "done").exists():
        assert time.monotonic() < deadline, proc.log_tail()
        time.sleep(0.05)

    assert mode(tmp_path / "state") == 0o700
    assert mode(proc.log_file) == 0o600
    assert mode(proc.pid_file) == 0o600
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "sub") == 0o700
    assert mode(tmp_path / "data" / "sub" / "page") == 0o600


def test_files_left_readable_by_an_earlier_run_are_made_private(tmp_path: Path) -> None:
    (tmp_path / "ferretdb").mkdir(mode=0o755)
    (tmp_path / "ferretdb" / "pulse.sqlite").write_text("names")
    (tmp_path / "ferretdb" / "pulse.sqlite").chmod(0o644)
    write_private(tmp_path / "admin-key", "secret")

    make_private(tmp_path)

    assert mode(tmp_path / "ferretdb") == 0o700
    assert mode(tmp_path / "ferretdb" / "pulse.sqlite") == 0o600
    assert mode(tmp_path / "admin-key") == 0o600
