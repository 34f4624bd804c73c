"""Build FerretDB v1 (MongoDB wire protocol over SQLite) from the Go module proxy and run it locally."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pulse_local.process import InfraError, ManagedProcess, cache_dir, require_port_free

VERSION = "v1.24.2"
HOST = "127.0.0.1"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "ferretdb"
_SOURCE_FILES = ("go.mod", "go.sum", "main.go")


@dataclass(frozen=True)
class FerretConfig:
    state_dir: Path
    port: int = 27017

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "ferretdb-data"

    @property
    def uri(self) -> str:
        return f"mongodb://{HOST}:{self.port}/"


def process(config: FerretConfig) -> ManagedProcess:
    return ManagedProcess("ferretdb", config.state_dir)


def ensure_built() -> Path:
    """The FerretDB binary, built once per version of its Go sources and then reused."""
    digest = hashlib.sha256()
    for name in _SOURCE_FILES:
        try:
            digest.update((SOURCE_DIR / name).read_bytes())
        except FileNotFoundError:
            raise InfraError(
                f"FerretDB's Go sources are missing at {SOURCE_DIR / name}; restore them from git."
            ) from None
    out_dir = cache_dir() / f"ferretdb-{VERSION}-{digest.hexdigest()[:12]}"
    binary = out_dir / "ferretdb"
    if binary.exists():
        return binary

    go = shutil.which("go")
    if go is None:
        raise InfraError("Go is not installed or not on PATH; install Go 1.24 or newer to build FerretDB.")
    out_dir.mkdir(parents=True, exist_ok=True)
    log_file = out_dir / "build.log"
    partial = out_dir / "ferretdb.partial"
    print(f"Building FerretDB {VERSION} with Go (first run only, ~2 min)...", flush=True)
    with log_file.open("wb") as log:
        result = subprocess.run(
            [go, "build", "-o", str(partial), "."],
            cwd=SOURCE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # The SQLite driver is pure Go, so no C compiler is needed.
            env={**os.environ, "CGO_ENABLED": "0"},
        )
    if result.returncode != 0:
        raise InfraError(f"Building FerretDB failed; see {log_file}.")
    partial.replace(binary)  # a build that was cut short never looks finished
    return binary


def start(config: FerretConfig, timeout: float = 60) -> str:
    """Start FerretDB unless it already runs, wait until it answers a ping, and return its URI."""
    proc = process(config)
    if proc.pid() is None:
        binary = ensure_built()
        require_port_free(HOST, config.port, "FerretDB")
        config.data_dir.mkdir(parents=True, exist_ok=True)
        proc.start(
            [
                str(binary),
                "-listen-addr",
                f"{HOST}:{config.port}",
                "-sqlite-url",
                f"file:{config.data_dir}/",
            ]
        )
    proc.wait_until(lambda: ping(config.port), timeout, f"ready on port {config.port}")
    return config.uri


def stop(config: FerretConfig) -> None:
    process(config).stop()


def ping(port: int, host: str = HOST, timeout: float = 1.0) -> bool:
    """True when a MongoDB-wire server on host:port answers {ping: 1} with ok: 1."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_op_msg(_bson_ping()))
            header = _recv_exact(sock, 16)
            (length,) = struct.unpack_from("<i", header)
            body = _recv_exact(sock, length - 16)
    except OSError:
        return False
    return b"\x01ok\x00" + struct.pack("<d", 1.0) in body


def _bson_ping() -> bytes:
    db = b"admin\x00"
    elements = b"\x10ping\x00" + struct.pack("<i", 1) + b"\x02$db\x00" + struct.pack("<i", len(db)) + db
    return struct.pack("<i", 4 + len(elements) + 1) + elements + b"\x00"


def _op_msg(document: bytes) -> bytes:
    payload = struct.pack("<I", 0) + b"\x00" + document  # flagBits, then one section of kind 0
    return struct.pack("<iiii", 16 + len(payload), 1, 0, 2013) + payload


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed mid-reply")
        data += chunk
    return data
