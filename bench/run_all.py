"""`make bench`: start a private platform, run the benchmarks beside their floors, report.

Starts its own Kafka and FerretDB on free ports in a temporary folder (never the servers of `make up` or of
the tests), the four services and a bare FastAPI app as the HTTP floor, all with the same uvicorn settings.
Writes bench/results/<time>.json and the results table of docs/performance.md.

    .venv/bin/python bench/run_all.py                # default sizes (scaled down from the issue's)
    .venv/bin/python bench/run_all.py --full         # the issue's sizes
    .venv/bin/python bench/run_all.py --only ingest,reads
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "tests")]

from pulse_bench import benchmarks, metrics_scale, programme, report  # noqa: E402
from pulse_bench.http_load import Pool  # noqa: E402
from pulse_bench.stack import Stack, private_stack, rss_mib  # noqa: E402

ALL = ("ingest", "door", "freshness", "reads", "sse", "catchup", "metrics")
SERVICES = ("gateway", "registration", "events", "metrics", "bare")
FULL = {
    "participants": 20_000,
    "ingest_events": 10,
    "door_rate": 150.0,
    "door_seconds": 60.0,
    "fresh_checkins": 1000,
    "fresh_rate": 100.0,
    "read_clients": 64,
    "read_seconds": 20.0,
    "sse_clients": 1000,
    "sse_seconds": 30.0,
    "catchup_attendances": 1_000_000,
    "metrics_attendances": 1_000_000,
}
DEFAULT = FULL | {
    "participants": 1_000,
    "door_seconds": 20.0,
    "read_seconds": 10.0,
    "catchup_attendances": 50_000,
    "metrics_attendances": 100_000,
}


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


async def run(stack: Stack, sizes: dict[str, Any], only: set[str], state_dir: Path) -> dict[str, Any]:
    memory: dict[str, dict[str, float | None]] = {}

    def remember(moment: str) -> None:
        memory[moment] = {s: rss_mib(stack.pid(s)) for s in SERVICES}

    remember("idle")
    gateway = Pool(stack.url("gateway"))
    watched = [Pool(stack.url(s)) for s in ("registration", "events", "metrics")]
    log(
        f"creating the programme: {sizes['participants']:,} participants, {sizes['ingest_events']} ingest events"
    )
    started = time.perf_counter()
    prog = await programme.create(
        gateway,
        stack.admin_key,
        participants=sizes["participants"],
        ingest_events=sizes["ingest_events"],
        door_events=10,
        fresh_events=10,
    )
    await programme.settle(watched)
    await programme.wait_until_stored(stack.infra.mongo_url, stack.db_prefix, len(prog.participants))
    log(f"programme ready and settled in {time.perf_counter() - started:.1f}s")
    remember("setup")
    results: dict[str, Any] = {}
    if "ingest" in only:
        log("1. bulk ingest")
        results["bulk_ingest"] = await benchmarks.bulk_ingest(stack, gateway, prog, clients=4)
        log(f"   {results['bulk_ingest']}")
        remember("bulk ingest")
        await programme.settle(watched)
    if "door" in only:
        log("2. door check-ins")
        results["door_checkins"] = await benchmarks.door_checkins(
            stack, prog, sizes["door_rate"], sizes["door_seconds"]
        )
        log(f"   {results['door_checkins']}")
        remember("door check-ins")
        await programme.settle(watched)
    if "freshness" in only:
        log("3. freshness")
        results["freshness"] = await benchmarks.freshness(
            stack, prog, sizes["fresh_checkins"], sizes["fresh_rate"]
        )
        log(f"   {results['freshness']}")
        remember("freshness")
    if "reads" in only:
        log("4. counter reads")
        results["counter_reads"] = await benchmarks.counter_reads(
            stack, sizes["read_clients"], sizes["read_seconds"]
        )
        log(f"   {results['counter_reads']}")
        remember("counter reads")
    if "sse" in only:
        log("8. idle SSE clients")
        results["idle_sse"] = await benchmarks.idle_sse_clients(
            stack, sizes["sse_clients"], sizes["sse_seconds"]
        )
        log(f"   {results['idle_sse']}")
        remember("idle SSE clients")
    if "catchup" in only:
        log("5. catch-up")
        results["catch_up"] = await benchmarks.catch_up(stack, sizes["catchup_attendances"], state_dir)
        log(f"   {results['catch_up']}")
        remember("catch-up (platform services)")
    if "metrics" in only:
        log("7. metrics scaled out over 12 partitions")
        results["metrics_scale"] = await metrics_scale.metrics_scale(
            stack.infra.kafka_bootstrap, stack.infra.mongo_url, sizes["metrics_attendances"], state_dir, log
        )
    gateway.close()
    for pool in watched:
        pool.close()
    return {"benchmarks": results, "memory_mib": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes (takes much longer here)")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    parser.add_argument("--keep", action="store_true", help="keep the private platform's logs and data")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md's table")
    for name, value in DEFAULT.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=None)
    args = parser.parse_args()
    sizes = dict(FULL if args.full else DEFAULT)
    sizes.update({k: getattr(args, k) for k in DEFAULT if getattr(args, k) is not None})
    only = set(args.only.split(","))
    results: dict[str, Any] = {
        "note": "cpu_s: CPU seconds used by each process during our path (not the floor); on a shared machine "
        "wall-clock figures include waiting for other people's work, CPU per item does not",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": report.commit(),
        "machine": report.machine(),
        "sizes": sizes,
    }
    with private_stack(keep=args.keep, progress=log) as stack:
        results |= asyncio.run(run(stack, sizes, only, stack.layout.state_dir))
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    path = report.write_json(results)
    log(f"results: {path}")
    if not args.no_doc:
        report.update_doc(results, path.name)
        log(f"table updated in {report.DOC}")
    print(report.table(results, path.name))


if __name__ == "__main__":
    main()
