"""A lean HTTP/1.1 keep-alive client and load drivers, so the load generator costs little of the 2 cores.

The same client drives our path and its floor, so whatever it costs is in both sides of every ratio.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def request(
        self, host: str, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked = 0, False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            data = await self.reader.readexactly(size + 2)
            if size == 0:
                return status, b"".join(parts)
            parts.append(data[:-2])

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Keep-alive connections to one server, opened on demand and reused."""

    def __init__(self, base_url: str) -> None:
        hostport = base_url.removeprefix("http://").rstrip("/")
        self.host, _, port = hostport.partition(":")
        self.port = int(port or 80)
        self.hostport = hostport
        self._idle: list[Connection] = []

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        payload = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
        while self._idle:
            conn = self._idle.pop()
            try:
                answer = await conn.request(self.hostport, method, path, headers or {}, payload)
            except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
                conn.close()
                if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                    raise
                continue  # the server closed this idle connection (keep-alive timeout): use another
            except BaseException:
                conn.close()
                raise
            self._idle.append(conn)
            return answer
        conn = Connection(*await asyncio.open_connection(self.host, self.port))
        try:
            answer = await conn.request(self.hostport, method, path, headers or {}, payload)
        except BaseException:
            conn.close()
            raise
        self._idle.append(conn)
        return answer

    def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()


def percentile_ms(ordered: list[float], p: float, digits: int = 2) -> float:
    """The `p` percentile (0-1) of seconds sorted ascending, in milliseconds."""
    return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], digits)


@dataclass
class Latencies:
    """Latencies in seconds from each request's scheduled start (no coordinated omission); status 0 = reset."""

    seconds: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wall_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.seconds)
        return {
            "requests": len(ordered),
            "p50_ms": percentile_ms(ordered, 0.50),
            "p95_ms": percentile_ms(ordered, 0.95),
            "p99_ms": percentile_ms(ordered, 0.99),
            "max_ms": round(1000 * ordered[-1], 2),
            "mean_ms": round(1000 * statistics.fmean(ordered), 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "achieved_rate_per_s": round(len(ordered) / self.wall_s, 1) if self.wall_s else None,
        }


async def open_loop(
    pool: Pool, rate: float, duration_s: float, request: Callable[[int], tuple[str, str, dict[str, str], Any]]
) -> Latencies:
    """Start request i at t0 + i/rate whether or not earlier ones have answered; latency from that time."""
    result = Latencies()
    total = int(rate * duration_s)
    tasks: list[asyncio.Task[None]] = []

    async def one(i: int, scheduled: float) -> None:
        method, path, headers, body = request(i)
        try:
            status, _ = await pool.request(method, path, headers, body)
        except (OSError, asyncio.IncompleteReadError):
            status = 0  # the server reset or refused the connection: counted, and its wait still measured
        result.seconds.append(time.perf_counter() - scheduled)
        result.statuses[status] = result.statuses.get(status, 0) + 1

    t0 = time.perf_counter() + 0.05
    for i in range(total):
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    await asyncio.gather(*tasks)
    result.wall_s = time.perf_counter() - t0
    return result


async def closed_loop(
    pool: Pool, clients: int, duration_s: float, method: str, path: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """`clients` workers each sending the next request as soon as the last answered; requests/s."""
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + duration_s
    done = 0

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            status, _ = await pool.request(method, path, headers)
            statuses[status] = statuses.get(status, 0) + 1
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "requests": done,
        "requests_per_s": round(done / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }
