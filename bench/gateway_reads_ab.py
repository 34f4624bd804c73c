"""The gateway's CPU per counters read for two versions of its code, served alone side by side with the floor.

Extracts `shared/src` and `services/gateway/src` of a git revision (default `HEAD`) and serves that gateway,
the working tree's and the bare floor app, each by uvicorn with the platform's settings and with no Kafka or
MongoDB (`pulse_bench/served_gateway.py`). Rounds of 64 closed-loop clients alternate between the three, so
a busy machine weighs on all alike; it reports each one's median CPU microseconds per request and its median
ratio to the floor. Nothing is asserted.

    .venv/bin/python bench/gateway_reads_ab.py [--against REV] [--rounds 10] [--seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulse_bench.http_load import Pool, closed_loop
from pulse_bench.stack import cpu_seconds, free_port

from shared.runtime import serve as this_serve

BENCH_DIR = Path(__file__).resolve().parent
COUNTERS = "/v1/programme/counters"


def extract(revision: str, into: Path) -> str:
    """The revision's shared library and gateway sources, as a PYTHONPATH."""
    archive = subprocess.run(
        ["git", "archive", revision, "shared/src", "services/gateway/src"],
        cwd=BENCH_DIR.parent,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return f"{into / 'shared/src'}:{into / 'services/gateway/src'}"


def serve(app: str, port: int, pythonpath: str, log: Path) -> subprocess.Popen[bytes]:
    # This tree's serve.py as a script (-P: its folder's logging.py must not hide the standard one), since an
    # older revision's `shared` may not have it
    argv = [sys.executable, "-P", this_serve.__file__, app, "--port", str(port), "--lifespan", "off"]
    env = {**os.environ, "PYTHONPATH": f"{pythonpath}:{BENCH_DIR}" if pythonpath else str(BENCH_DIR)}
    return subprocess.Popen(argv, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


async def wait_answering(pool: Pool, path: str) -> None:
    for _ in range(300):
        try:
            await pool.request("GET", path)
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing answers {path} on {pool.hostport}")


async def measure(
    servers: dict[str, tuple[subprocess.Popen[bytes], Pool, str]], rounds: int, seconds: float
) -> None:
    for _, pool, path in servers.values():
        await wait_answering(pool, path)
        await closed_loop(pool, 64, 1, "GET", path)  # warm up
    cpu: dict[str, list[float]] = {name: [] for name in servers}
    rate: dict[str, list[float]] = {name: [] for name in servers}
    for number in range(rounds):
        for name, (process, pool, path) in servers.items():
            before = cpu_seconds(process.pid)
            result = await closed_loop(pool, 64, seconds, "GET", path)
            if set(result["statuses"]) != {"200"}:
                raise RuntimeError(f"{name} answered {result['statuses']}")
            cpu[name].append(1e6 * (cpu_seconds(process.pid) - before) / result["requests"])
            rate[name].append(result["requests_per_s"])
        print(f"round {number + 1}: " + ", ".join(f"{n} {cpu[n][-1]:.0f} us" for n in servers), flush=True)
    for name in servers:
        ratio = statistics.median(r / b for r, b in zip(rate[name], rate["bare"], strict=True))
        print(
            f"{name:8s} median {statistics.median(cpu[name]):6.1f} us of CPU per request, ratio to bare {ratio:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the git revision to compare the working tree with")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulse-reads-ab-") as tmp:
        folder = Path(tmp)
        versions = {args.against: extract(args.against, folder / "against"), "working": ""}
        servers = {}
        try:
            for name, pythonpath in versions.items():
                port = free_port()
                process = serve(
                    "pulse_bench.served_gateway:create_app", port, pythonpath, folder / f"{port}.log"
                )
                servers[name] = (process, Pool(f"http://127.0.0.1:{port}"), COUNTERS)
            port = free_port()
            servers["bare"] = (serve("pulse_bench.bare_app:create_app", port, "", folder / "bare.log"),
                               Pool(f"http://127.0.0.1:{port}"), "/hello")  # fmt: skip
            asyncio.run(measure(servers, args.rounds, args.seconds))
        finally:
            for process, _, _ in servers.values():
                process.terminate()
                process.wait(10)


if __name__ == "__main__":
    main()
