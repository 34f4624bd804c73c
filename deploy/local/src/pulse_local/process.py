"""Start, watch and stop the local servers as background processes with pid and log files."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# The state folders hold personal data (FerretDB's files, Kafka's logs) and secrets: owner only
# (docs/privacy.md, File permissions). Processes started here create their files with this umask.
PRIVATE_UMASK = 0o077


def private_dir(path: Path) -> Path:
    """Create path (and missing parents) readable by its owner only; an existing one is made so too."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path: Path, mode: str = "w") -> IO[Any]:
    """Open path for writing ("w" or "ab", ...), created or made readable and writable by its owner only."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    handle = os.open(path, flags, 0o600)
    os.fchmod(handle, 0o600)
    return os.fdopen(handle, mode)


def write_private(path: Path, text: str) -> None:
    with private_file(path) as out:
        out.write(text)


def make_private(root: Path) -> None:
    """Take group and other permissions off root and everything under it (left by earlier versions)."""
    if not root.exists():
        return
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & 0o700)


class InfraError(RuntimeError):
    """A problem the user can fix; its message is one sentence saying what to do."""


@dataclass(frozen=True)
class ManagedProcess:
    """A background process known by its pid file and log file under a state folder."""

    name: str
    state_dir: Path

    @property
    def pid_file(self) -> Path:
        return self.state_dir / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / f"{self.name}.log"

    def pid(self) -> int | None:
        """The pid of the running process, or None when it is not running."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def start(self, argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
        """Start argv detached from this process, logging to the log file; returns its pid."""
        private_dir(self.state_dir)
        with private_file(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                start_new_session=True,  # survives the launcher and is stopped by its process group
                umask=PRIVATE_UMASK,  # what Kafka, FerretDB and the services create is theirs alone
            )
        write_private(self.pid_file, str(proc.pid))
        return proc.pid

    def stop(self, timeout: float = 20.0) -> None:
        """Stop with SIGTERM, then SIGKILL after timeout seconds; a stopped process is left alone."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            _signal_group(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL the process at once, as a crash would."""
        pid = self.pid()
        if pid is not None:
            _signal_group(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll ready() until it holds; fail with the log's tail if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            if self.pid() is None:
                raise InfraError(
                    f"{self.name} exited while starting; see {self.log_file}:\n{self.log_tail()}"
                )
            time.sleep(0.2)
        raise InfraError(f"{self.name} did not become {what} within {timeout:.0f}s; see {self.log_file}.")


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap our own child so it does not linger as a zombie
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require_port_free(host: str, port: int, who: str) -> None:
    if port_open(host, port):
        raise InfraError(
            f"Port {port} is already in use, so {who} cannot start there; stop what uses it "
            f"or choose another port with the matching PULSE_*_PORT variable."
        )


def cache_dir() -> Path:
    """Where downloads and builds are kept across runs and clones."""
    root = os.environ.get("PULSE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")), "programme-pulse"
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path
