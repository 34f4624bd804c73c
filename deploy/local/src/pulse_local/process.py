"""Start, watch and stop the local servers as background processes with pid and log files."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Collection, Sequence
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


_PROC = Path("/proc")


class InfraError(RuntimeError):
    """A problem the user can fix; its message is one sentence saying what to do."""


class ExitedError(InfraError):
    """The process exited before it was ready."""


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
        """The pid of the process the pid file names, or None when that process is no longer running.

        A process that has exited is not running even while it is a zombie: killed after its launcher
        exited, it waits to be reaped by init, which here took up to 2 s, and a pid is reused once reaped.
        So the pid file also holds the process's start time, and a pid running another program is not it.
        """
        try:
            pid_text, _, started = self.pid_file.read_text().strip().partition(" ")
            pid = int(pid_text)
        except (FileNotFoundError, ValueError):
            return None
        return pid if _running(pid, started or None) else None

    def log_size(self) -> int:
        """Where the next line of the log will be written: what a process started now writes follows it."""
        try:
            return self.log_file.stat().st_size
        except FileNotFoundError:
            return 0

    def start(
        self,
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        withhold: Collection[str] = (),
    ) -> int:
        """Start argv detached from this process, logging to the log file; returns its pid.

        It inherits this process's environment with `env` on top, less the variables named in `withhold`.
        """
        environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in withhold}
        private_dir(self.state_dir)
        with private_file(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
                cwd=cwd,
                start_new_session=True,  # survives the launcher and is stopped by its process group
                umask=PRIVATE_UMASK,  # what Kafka, FerretDB and the services create is theirs alone
            )
        started = _start_time(proc.pid)
        write_private(self.pid_file, f"{proc.pid} {started}" if started else str(proc.pid))
        return proc.pid

    def ensure_started(
        self,
        argv: Callable[[], Sequence[str]],
        ready: Callable[[], bool],
        timeout: float,
        what: str,
        *,
        before_start: Callable[[], None] = lambda: None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        withhold: Collection[str] = (),
    ) -> None:
        """Wait for the running process to be ready, or start one (after `before_start`) and wait for it.

        A process of an earlier run that exits before it is ready (killed just before, say) is replaced
        by a new one rather than reported as failed.
        """
        if self.running_becomes_ready(ready, timeout, what):
            return
        before_start()
        log_from = self.log_size()
        self.start(argv(), env=env, cwd=cwd, withhold=withhold)
        self.wait_until(ready, timeout, what, log_from=log_from)

    def running_becomes_ready(self, ready: Callable[[], bool], timeout: float, what: str) -> bool:
        """True once the running process is ready; False when none runs or it exits before it is ready."""
        if self.pid() is None:
            return False
        try:
            self.wait_until(ready, timeout, what)
        except ExitedError:
            return False
        return True

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

    def log_tail(self, lines: int = 20, log_from: int = 0) -> str:
        """The last lines of the log written from byte `log_from` on."""
        try:
            with self.log_file.open("rb") as log:
                log.seek(log_from)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str, log_from: int = 0) -> None:
        """Poll ready() until it holds; fail with the log's tail (from `log_from`) if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            if self.pid() is None:
                tail = self.log_tail(log_from=log_from) or "(it wrote nothing)"
                raise ExitedError(f"{self.name} exited while starting; see {self.log_file}:\n{tail}")
            time.sleep(0.2)
        raise InfraError(f"{self.name} did not become {what} within {timeout:.0f}s; see {self.log_file}.")


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap our own child so it does not linger as a zombie
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    return _running(pid, None)


def _running(pid: int, started: str | None) -> bool:
    """Whether pid is a process that has not exited (and, when `started` is given, started then)."""
    if not _PROC.is_dir():  # macOS: only whether the pid exists can be known
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        state, start_time = _proc_stat(pid)
    except OSError:
        return False
    return state not in {"Z", "X", "x"} and (started is None or started == start_time)


def _start_time(pid: int) -> str | None:
    try:
        return _proc_stat(pid)[1] if _PROC.is_dir() else None
    except OSError:
        return None


def _proc_stat(pid: int) -> tuple[str, str]:
    """(state, start time in clock ticks since boot) from /proc/<pid>/stat."""
    with (_PROC / str(pid) / "stat").open("rb") as stat:
        fields = stat.read().rpartition(b")")[2].split()  # the name in parentheses may hold spaces
    return fields[0].decode(), fields[19].decode()


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
