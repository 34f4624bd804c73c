"""What secure deletion costs FerretDB's writes, and whether an erased value survives in any of its files.

Starts the local runner's FerretDB build on a free port in a temporary folder once per SQLite setting (the
local runner's own, and the alternatives), then: writes a participant-shaped document holding a marker name,
erases it (replaces the document by a tombstone, as registration does) and greps every file of the data
folder for the marker; and times the write patterns the services use: insert_many in slices of 1,000,
single inserts (a door's check-in), single updates (an outbox cleared), and single inserts from 8 clients at
once. Rounds alternate between the settings, so a busy machine weighs on all alike. Nothing is asserted.

    .venv/bin/python bench/ferretdb_secure_delete.py [--docs 5000] [--singles 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulse_bench.report import machine
from pulse_bench.stack import fresh_ferretdb
from pymongo import AsyncMongoClient

from pulse_local.ferretdb import SQLITE_PRAGMAS, ensure_built
from shared.mongo.client import Document

SETTINGS = {
    "wal (before)": "_pragma=synchronous(normal)",
    "wal + secure_delete": "_pragma=synchronous(normal)&_pragma=secure_delete(on)",
    "+ size limit 0": "_pragma=synchronous(normal)&_pragma=secure_delete(on)&_pragma=journal_size_limit(0)",
    "now, synchronous normal": SQLITE_PRAGMAS.replace("synchronous(off)", "synchronous(normal)"),
    "local runner (now)": SQLITE_PRAGMAS,
}


def _person(marker: str) -> Document:
    return {
        "_id": str(uuid.uuid4()),
        "given_name": marker,
        "family_name": "Probe",
        "email": f"{marker.lower()}@example.org",
        "role": "student",
        "consent": {"data_processing": True, "demographics": True},
        "padding": "x" * 400,
    }


def _files_holding(folder: Path, marker: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes()
    )


async def _timed(action: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


async def _measure(port: int, folder: Path, docs: int, singles: int) -> dict[str, float | str]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(f"mongodb://127.0.0.1:{port}/")
    db = client.bench
    marker = f"Zq{uuid.uuid4().hex[:10]}"
    person = _person(marker)
    await db.people.insert_one(person)
    await db.people.insert_many([_person("Someone") for _ in range(200)])
    await db.people.replace_one({"_id": person["_id"]}, {"role": "student", "erased_at": time.time()})
    await db.people.insert_many([_person("Later") for _ in range(50)])
    leaked = _files_holding(folder, marker.encode())

    many = [_person("Bulk") for _ in range(docs)]
    bulk = await _timed(lambda: _insert_slices(db.bulk, many))
    one_by_one = [_person("Door") for _ in range(singles)]
    single = await _timed(lambda: _insert_each(db.door, one_by_one))
    updates = await _timed(lambda: _update_each(db.door, [d["_id"] for d in one_by_one]))
    parallel = [[_person("Door") for _ in range(singles // 8)] for _ in range(8)]
    concurrent = await _timed(lambda: asyncio.gather(*(_insert_each(db.doors, part) for part in parallel)))
    await client.close()
    return {
        "leaked_in": ", ".join(leaked) or "none",
        "insert_many ms/1000": 1000 * bulk / (docs / 1000),
        "insert ms": 1000 * single / singles,
        "update ms": 1000 * updates / singles,
        "8 clients insert/s": 8 * (singles // 8) / concurrent,
    }


async def _insert_slices(collection: object, docs: list[Document]) -> None:
    for start in range(0, len(docs), 1000):
        await collection.insert_many(docs[start : start + 1000])  # type: ignore[attr-defined]


async def _insert_each(collection: object, docs: list[Document]) -> None:
    for doc in docs:
        await collection.insert_one(doc)  # type: ignore[attr-defined]


async def _update_each(collection: object, ids: list[str]) -> None:
    for doc_id in ids:
        await collection.update_one({"_id": doc_id}, {"$set": {"outbox_pending": False}})  # type: ignore[attr-defined]


def _round(binary: Path, pragmas: str, docs: int, singles: int) -> dict[str, float | str]:
    with fresh_ferretdb(binary, pragmas) as server:
        return asyncio.run(_measure(server.port, server.data_dir, docs, singles))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--singles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binary = ensure_built()
    results: dict[str, list[dict[str, float | str]]] = {name: [] for name in SETTINGS}
    for _ in range(args.rounds):
        for name, pragmas in SETTINGS.items():
            results[name].append(_round(binary, pragmas, args.docs, args.singles))
    print(f"# FerretDB writes by SQLite setting, median of {args.rounds} rounds ({machine()})")
    for name, rounds in results.items():
        leaked = {str(r["leaked_in"]) for r in rounds}
        timings = {
            key: statistics.median(float(r[key]) for r in rounds) for key in rounds[0] if key != "leaked_in"
        }
        shown = ", ".join(f"{key} {value:.2f}" for key, value in timings.items())
        print(f"{name:22} erased marker found in: {' | '.join(sorted(leaked))}; {shown}")


if __name__ == "__main__":
    main()
