"""FerretDB's CPU per document for the operations the platform leans on, for one build or two side by side.

Starts each binary (by default the one `make up` builds) on a free port in a temporary folder, with the
same `GOGC` as the local runner, and reports the server's CPU milliseconds per document for: inserting
attendance-shaped documents (`insert_many` in slices of 1,000), finding 10,000 of them by `_id` with `$in`
(`MongoFlavour.find_in`, as the services look documents up), looking up 10,000 absent ids, and reading a collection
whole. Rounds alternate between the binaries, so a busy machine weighs on both alike. Nothing is asserted.

    .venv/bin/python bench/ferretdb_ops.py [--compare OTHER_BINARY] [--docs 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulse_bench.report import machine
from pulse_bench.stack import fresh_ferretdb
from pymongo import AsyncMongoClient

from pulse_local.ferretdb import ensure_built
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

LOOKED_UP = 10_000


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _attendance(n: int) -> Document:
    now = datetime.now(UTC)
    return {
        "_id": f"att-{uuid.uuid4()}",
        "programme_id": "resilience",
        "event_id": f"evt-{n % 10}",
        "participant_id": f"prt-{uuid.uuid4()}",
        "partner_id": "partner-1",
        "checkin_id": str(uuid.uuid4()),
        "checked_in_at": now,
        "recorded_at": now,
        "status": "recorded",
    }


def _round(binary: Path, docs: int) -> dict[str, float]:
    """CPU ms per document of each operation, against a fresh server."""
    with fresh_ferretdb(binary) as server:
        return asyncio.run(_measure(server.pid, server.port, docs))


async def _measure(pid: int, port: int, docs: int) -> dict[str, float]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(f"mongodb://127.0.0.1:{port}/")
    attendance = client.bench.attendance
    flavour = MongoFlavour(client, "ferretdb")
    await attendance.create_index("checkin_id", unique=True)
    stored = [_attendance(n) for n in range(docs)]
    ids = [doc["_id"] for doc in stored[:LOOKED_UP]]
    absent = [str(uuid.uuid4()) for _ in range(LOOKED_UP)]

    async def insert() -> None:
        for start in range(0, docs, 1000):
            await attendance.insert_many(stored[start : start + 1000], ordered=False)

    ops: list[tuple[str, int, Callable[[], Awaitable[object]]]] = [
        ("insert_many", docs, insert),
        ("find_in found", LOOKED_UP, lambda: flavour.find_in(attendance, "_id", ids, {"_id": 1})),
        ("find_in absent", LOOKED_UP, lambda: flavour.find_in(attendance, "_id", absent, {"_id": 1})),
        ("full read", docs, lambda: attendance.find({}).to_list()),
    ]
    costs = {}
    for name, count, op in ops:
        before = _cpu_s(pid)
        await op()
        costs[name] = 1000 * (_cpu_s(pid) - before) / count
    await client.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, help="FerretDB binary (default: the one make up builds)")
    parser.add_argument("--compare", type=Path, help="a second binary, measured in alternating rounds")
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binaries = [args.binary or ensure_built(), *([args.compare] if args.compare else [])]
    print(machine())
    for n in range(args.rounds):
        for binary in binaries:
            costs = _round(binary, args.docs)
            shown = "  ".join(f"{name} {ms:.3f}" for name, ms in costs.items())
            print(f"round {n + 1} {binary}: CPU ms per document: {shown}", flush=True)


if __name__ == "__main__":
    main()
