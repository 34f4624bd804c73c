"""FerretDB's CPU per document for the operations the platform leans on, for one build or two side by side.

Starts each binary (by default the one `make up` builds) on a free port in a temporary folder, with the
same `GOGC` and SQLite pragmas as the local runner, and reports the server's CPU microseconds per document
for: inserting attendance-shaped documents into a collection with the attendance collection's indexes
(`insert_many` in slices of 1,000, as a bulk upload's slices), and the same with `_id` and `checkin_id` in
order rather than random; finding 10,000 of them by `_id` with `$in` (`MongoFlavour.find_in`, as the
services look documents up); looking up 10,000 absent ids by `_id` and by `checkin_id` (a bulk upload asks
both of every record, to tell duplicates) and in a collection of a few documents (its erasure check); and
reading a collection whole. Rounds alternate between the binaries, so a busy machine weighs on both alike.
Nothing is asserted.

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
from pymongo.asynchronous.collection import AsyncCollection

from events.repository.documents import AWAITING_FIELD
from pulse_local.ferretdb import SQLITE_PRAGMAS, ensure_built
from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import ensure_outbox_index

LOOKED_UP = 10_000


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _attendance(n: int, *, in_order: bool = False) -> Document:
    """An attendance document; with `in_order`, its `_id` and `checkin_id` grow with n instead of being random."""
    now = datetime.now(UTC)
    return {
        "_id": f"att-{n:012d}" if in_order else f"att-{uuid.uuid4()}",
        "programme_id": "resilience",
        "event_id": f"evt-{n % 10}",
        "participant_id": f"prt-{uuid.uuid4()}",
        "partner_id": "partner-1",
        "checkin_id": f"00000000-0000-4000-8000-{n:012d}" if in_order else str(uuid.uuid4()),
        "checked_in_at": now,
        "recorded_at": now,
        "status": "recorded",
        "batch_id": "batch-1",
    }


def _round(binary: Path, docs: int) -> dict[str, float]:
    """CPU µs per document of each operation, against a fresh server."""
    with fresh_ferretdb(binary, SQLITE_PRAGMAS) as server:
        return asyncio.run(_measure(server.pid, server.port, docs))


async def _measure(pid: int, port: int, docs: int) -> dict[str, float]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(f"mongodb://127.0.0.1:{port}/")
    attendance, in_order = client.bench.attendance, client.bench.in_order
    erased = client.bench.erased_participants
    flavour = MongoFlavour(client, "ferretdb")
    # The attendance collection's indexes (events.repository.attendance), each computed for every row here.
    for collection in (attendance, in_order):
        await collection.create_index("checkin_id", unique=True)
        await collection.create_index(AWAITING_FIELD)
        await ensure_outbox_index(collection)
    await erased.insert_many([{"_id": f"erased-{n}", "erased": True} for n in range(5)])
    stored = [_attendance(n) for n in range(docs)]
    ids = [doc["_id"] for doc in stored[:LOOKED_UP]]
    absent = [str(uuid.uuid4()) for _ in range(LOOKED_UP)]

    def insert(into: AsyncCollection[Document], documents: list[Document]) -> Callable[[], Awaitable[None]]:
        async def slices() -> None:
            for start in range(0, len(documents), 1000):
                await into.insert_many(documents[start : start + 1000], ordered=False)

        return slices

    ops: list[tuple[str, int, Callable[[], Awaitable[object]]]] = [
        ("insert_many", docs, insert(attendance, stored)),
        # Random keys land all over the indexes' B-trees, so each insert grows dearer with the collection.
        (
            "insert_many, keys in order",
            docs,
            insert(in_order, [_attendance(n, in_order=True) for n in range(docs)]),
        ),
        ("find_in found", LOOKED_UP, lambda: flavour.find_in(attendance, "_id", ids, {"_id": 1})),
        ("find_in absent", LOOKED_UP, lambda: flavour.find_in(attendance, "_id", absent, {"_id": 1})),
        (
            "find_in absent checkin_id",
            LOOKED_UP,
            lambda: flavour.find_in(attendance, "checkin_id", absent, {"_id": 1}),
        ),
        ("find_in absent, 5 stored", LOOKED_UP, lambda: flavour.find_in(erased, "_id", absent, {"_id": 1})),
        ("full read", docs, lambda: attendance.find({}).to_list()),
    ]
    costs = {}
    for name, count, op in ops:
        before = _cpu_s(pid)
        await op()
        costs[name] = 1e6 * (_cpu_s(pid) - before) / count
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
            shown = "  ".join(f"{name} {us:.1f}" for name, us in costs.items())
            print(f"round {n + 1} {binary}: CPU µs per document: {shown}", flush=True)


if __name__ == "__main__":
    main()
