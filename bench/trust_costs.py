"""What trusting only the gateway and counting limits across replicas cost, and whether the counts are exact.

1. Principal tokens: CPU per request to sign (gateway) and to verify (service), cold and from the caches.
2. An authenticated request's key lookup and rate count (one `find_one_and_update` on the key document):
   CPU in the gateway process and in the database server per request, against an uncached `find_one`.
3. A replica's sync of the keys it serves (`--keys` of them): one `find_one_and_update` per key against
   `count_many`'s one ordered write and one read, CPU in the gateway process and the database per sync.
4. Exactness: two processes, each with concurrent tasks, count requests of one key for a few seconds; in
   every one-second window no count may be handed to two requests (a lost update would do that).

By default a fresh FerretDB (the binary `make up` builds) on a free port in a temporary folder; with
MONGO_URL, that server (its CPU is then not measured). Nothing is asserted.

    .venv/bin/python bench/trust_costs.py [--requests 3000] [--keys 10] [--seconds 4] [--tasks 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulse_bench.report import machine
from pulse_bench.stack import cpu_seconds, free_port

from gateway.domain.keys import hash_secret, partner_key
from gateway.repository.keys import KeyRepository
from gateway.repository.windows import USED, WINDOW, count_many, count_request
from shared.contracts.identity import Principal, Scope
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour
from shared.principal_tokens import PrincipalSigner, PrincipalVerifier
from shared.signed_tokens import generate_keypair

TOKEN_ROUNDS = 5000
SYNC_ROUNDS = 4  # of each way of syncing, alternating, so that both see the same load


def _us_per_call(calls: int, call: Callable[[int], object]) -> float:
    started = time.process_time()
    for n in range(calls):
        call(n)
    return (time.process_time() - started) / calls * 1e6


def token_costs() -> dict[str, float]:
    private, public = generate_keypair()
    signer, verifier = PrincipalSigner(private), PrincipalVerifier(public, audience="events")
    principals = [
        Principal(scope=Scope.PARTNER, key_id=f"key_{n:032x}", partner_id="par_1")
        for n in range(TOKEN_ROUNDS)
    ]
    tokens = [signer.token(p, "events") for p in principals]  # signing each once: the cold cost
    cold_sign = _us_per_call(TOKEN_ROUNDS, lambda n: PrincipalSigner(private).token(principals[n], "metrics"))
    construct = _us_per_call(TOKEN_ROUNDS, lambda n: PrincipalSigner(private))
    return {
        "sign cold": cold_sign - construct,
        "sign cached": _us_per_call(TOKEN_ROUNDS, lambda n: signer.token(principals[0], "events")),
        "verify cold": _us_per_call(TOKEN_ROUNDS, lambda n: verifier.principal(tokens[n])),
        "verify cached": _us_per_call(TOKEN_ROUNDS, lambda n: verifier.principal(tokens[0])),
    }


async def _insert_key(repository: KeyRepository) -> str:
    """A new partner key stored; its secret."""
    key, secret = partner_key("par_bench", datetime.now(UTC))
    await repository.insert(key)
    return secret


async def _new_key(url: str, database: str) -> tuple[KeyRepository, str]:
    client = make_mongo_client(url)
    repository = KeyRepository(client[database], MongoFlavour(client))
    await repository.ensure_indexes()
    return repository, await _insert_key(repository)


async def lookup_costs(url: str, server_pid: int | None, requests: int) -> dict[str, dict[str, float]]:
    repository, secret = await _new_key(url, f"bench{uuid.uuid4().hex[:8]}")
    key_hash = hash_secret(secret)
    keys = repository._keys

    async def counted() -> None:
        await repository.use(key_hash, int(time.time()))

    async def uncached_find() -> None:
        await keys.find_one({"hash": key_hash})

    ways: dict[str, Callable[[], Awaitable[None]]] = {
        "find_one by hash (no count)": uncached_find,
        "use(): look up and count": counted,
    }
    costs = {}
    for name, way in ways.items():
        for _ in range(200):  # warm the connection pool and the server
            await way()
        cpu_before, server_before, wall_before = (
            time.process_time(),
            cpu_seconds(server_pid),
            time.perf_counter(),
        )
        for _ in range(requests):
            await way()
        costs[name] = {
            "gateway_us": (time.process_time() - cpu_before) / requests * 1e6,
            "database_us": (cpu_seconds(server_pid) - server_before) / requests * 1e6,
            "latency_us": (time.perf_counter() - wall_before) / requests * 1e6,
        }
    return costs


async def sync_costs(url: str, server_pid: int | None, keys: int, rounds: int) -> dict[str, dict[str, float]]:
    """CPU per sync of `keys` keys, each with a few requests counted since the last: the two ways in turn."""
    client = make_mongo_client(url)
    flavour = MongoFlavour(client)
    database = client[f"bench{uuid.uuid4().hex[:8]}"]
    repository = KeyRepository(database, flavour)
    await repository.ensure_indexes()
    hashes = [hash_secret(await _insert_key(repository)) for _ in range(keys)]
    collection = database["api_keys"]
    window = int(time.time())

    async def one_per_key() -> None:
        await asyncio.gather(*(count_request(collection, {"hash": h}, window, amount=3) for h in hashes))

    async def count_them_all() -> None:
        await count_many(collection, flavour, "hash", dict.fromkeys(hashes, 3), window, behind=())

    ways = {"find_one_and_update per key": one_per_key, "count_many": count_them_all}
    costs: dict[str, dict[str, float]] = {name: defaultdict(float) for name in ways}
    for _ in range(SYNC_ROUNDS):
        for name, way in ways.items():
            cpu_before, server_before = time.process_time(), cpu_seconds(server_pid)
            for _ in range(rounds):
                await way()
            costs[name]["gateway_ms"] += (time.process_time() - cpu_before) / rounds * 1e3 / SYNC_ROUNDS
            costs[name]["database_ms"] += (
                (cpu_seconds(server_pid) - server_before) / rounds * 1e3 / SYNC_ROUNDS
            )
    await client.drop_database(database.name)
    await client.close()
    return costs


async def worker(url: str, database: str, key_hash: str, seconds: float, tasks: int) -> list[tuple[int, int]]:
    """Count requests of one key from `tasks` concurrent tasks; every (window, count) the database gave."""
    keys = make_mongo_client(url)[database]["api_keys"]  # as KeyRepository.use counts, keeping the window
    seen: list[tuple[int, int]] = []
    deadline = time.time() + seconds

    async def loop() -> None:
        while time.time() < deadline:
            found = await count_request(keys, {"hash": key_hash}, int(time.time()))
            assert found is not None
            seen.append((found[WINDOW], found[USED]))

    await asyncio.gather(*(loop() for _ in range(tasks)))
    return seen


def exactness(url: str, seconds: float, tasks: int) -> dict[str, Any]:
    database = f"bench{uuid.uuid4().hex[:8]}"
    _, secret = asyncio.run(_new_key(url, database))
    argv = [
        sys.executable,
        __file__,
        "--worker",
        url,
        database,
        hash_secret(secret),
        str(seconds),
        str(tasks),
    ]
    workers = [subprocess.Popen(argv, stdout=subprocess.PIPE) for _ in range(2)]
    counts: dict[int, list[int]] = defaultdict(list)
    for process in workers:
        output, _ = process.communicate(timeout=seconds + 60)
        for window, used in json.loads(output):
            counts[window].append(used)
    requests = sum(len(c) for c in counts.values())
    # A lost update shows as one count handed to two requests. Counts never handed out are increments that
    # landed in a window already over (count_request then starts the new one): harmless, and expected.
    duplicates = sum(len(c) - len(set(c)) for c in counts.values())
    return {"requests": requests, "windows": len(counts), "counts handed out twice": duplicates}


@contextmanager
def ferretdb_server() -> Iterator[tuple[str, int | None]]:
    """FerretDB started as the local runner starts it, in a temporary folder on a free port."""
    from pulse_local import ferretdb

    with tempfile.TemporaryDirectory() as folder:
        config = ferretdb.FerretConfig(Path(folder), free_port())
        url = ferretdb.start(config)
        try:
            yield url, ferretdb.process(config).pid()
        finally:
            ferretdb.stop(config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--keys", type=int, default=10, help="keys in one replica's sync")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--tasks", type=int, default=4, help="concurrent tasks in each of the two processes")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        url, database, key_hash, seconds, tasks = args.worker
        print(json.dumps(asyncio.run(worker(url, database, key_hash, float(seconds), int(tasks)))))
        return
    print(machine())
    for name, us in token_costs().items():
        print(f"principal token {name:>13}: {us:7.1f} us of CPU")
    given = os.environ.get("MONGO_URL")
    with ferretdb_server() if not given else _given(given) as (url, pid):
        for name, cost in asyncio.run(lookup_costs(url, pid, args.requests)).items():
            shown = "  ".join(f"{part} {value:7.1f}" for part, value in cost.items())
            print(f"{name:>28}: {shown}  (per request)")
        for name, cost in asyncio.run(sync_costs(url, pid, args.keys, args.requests // args.keys)).items():
            shown = "  ".join(f"{part} {value:7.2f}" for part, value in cost.items())
            print(f"sync of {args.keys} keys, {name:>27}: {shown}  (per sync)")
        print(
            f"two processes x {args.tasks} tasks counting one key:", exactness(url, args.seconds, args.tasks)
        )


@contextmanager
def _given(url: str) -> Iterator[tuple[str, int | None]]:
    yield url, None


if __name__ == "__main__":
    main()
