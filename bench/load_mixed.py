"""Sustained mixed traffic at a fixed rate through the gateway: latency and errors per route, memory per service.

Open loop: a request starts every 1/rate seconds whether or not earlier ones have answered, so a slow
platform shows as latency and errors rather than as a politely slower client. The mix: registrations,
check-ins of people registered earlier, reads of a participant, of the event list and of the counters,
and small attendance batches. Memory is each service process's RSS after a warm-up and at the end; the
run fails when any service grows by more than MAX_RSS_GROWTH_MIB.

Run (starts the four services on free ports against the Kafka and MongoDB given):
  KAFKA_BOOTSTRAP=127.0.0.1:29092 MONGO_URL=mongodb://127.0.0.1:47017/ \\
    .venv/bin/python bench/load_mixed.py [--duration 120] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from testkit.events_bodies import attendance_record, checkin_body
from testkit.fault_traffic import new_partner
from testkit.ops_calls import bearer
from testkit.registration_bodies import participant_body

MAX_RSS_GROWTH_MIB = 80.0
WARM_UP_S = 5.0
SERVICES = ("gateway", "registration", "events", "metrics")
# route name -> share of the traffic
MIX = {
    "POST /v1/participants": 0.30,
    "POST /v1/events/{id}/checkins": 0.25,
    "GET /v1/participants/{id}": 0.15,
    "GET /v1/programme/counters": 0.15,
    "GET /v1/events": 0.10,
    "POST /v1/attendance:batch (20)": 0.05,
}


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rss_before: dict[str, float] = field(default_factory=dict)
    rss_after: dict[str, float] = field(default_factory=dict)
    sent: int = 0
    duration_s: float = 0.0

    def errors(self, route: str) -> int:
        return sum(n for status, n in self.statuses[route].items() if not status.startswith("2"))

    def rss_growth(self) -> dict[str, float]:
        return {s: self.rss_after[s] - self.rss_before[s] for s in self.rss_before if s in self.rss_after}

    def table(self) -> str:
        lines = [f"{'route':34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  statuses"]
        for route in MIX:
            lat = sorted(self.latencies[route])
            if not lat:
                continue
            p50 = statistics.median(lat) * 1000
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
            lines.append(
                f"{route:34} {len(lat):>6} {p50:>8.1f} {p99:>8.1f} {self.errors(route):>7}  "
                f"{dict(self.statuses[route])}"
            )
        lines.append(f"sent {self.sent} requests in {self.duration_s:.0f} s")
        for s in self.rss_before:
            lines.append(
                f"RSS {s:12} {self.rss_before[s]:7.1f} MiB -> {self.rss_after.get(s, float('nan')):7.1f} MiB"
            )
        return "\n".join(lines)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Traffic:
    def __init__(self, client: httpx.AsyncClient, key: str, event_ids: list[str], results: Results) -> None:
        self.client, self.key, self.event_ids, self.results = client, key, event_ids, results
        self.people: list[str] = []

    async def one(self, route: str) -> None:
        if not self.people and route != "POST /v1/participants":
            route = "POST /v1/participants"  # nothing to check in or read yet
        started = time.perf_counter()
        try:
            response = await self._send(route)
            status = str(response.status_code)
        except httpx.TransportError as exc:
            response, status = None, type(exc).__name__
        self.results.latencies[route].append(time.perf_counter() - started)
        self.results.statuses[route][status] += 1
        if route == "POST /v1/participants" and response is not None and response.status_code == 201:
            self.people.append(response.json()["id"])

    async def _send(self, route: str) -> httpx.Response:
        key = bearer(self.key)
        if route == "POST /v1/participants":
            return await self.client.post("/v1/participants", json=participant_body(), headers=key)
        if route == "POST /v1/events/{id}/checkins":
            event_id = random.choice(self.event_ids)
            body = checkin_body(random.choice(self.people))
            return await self.client.post(f"/v1/events/{event_id}/checkins", json=body, headers=key)
        if route == "GET /v1/participants/{id}":
            return await self.client.get(f"/v1/participants/{random.choice(self.people)}", headers=key)
        if route == "GET /v1/programme/counters":
            return await self.client.get("/v1/programme/counters")
        if route == "GET /v1/events":
            return await self.client.get("/v1/events?limit=20", headers=key)
        records = [
            attendance_record(random.choice(self.event_ids), random.choice(self.people)) for _ in range(20)
        ]
        return await self.client.post("/v1/attendance:batch", json={"records": records}, headers=key)


async def run_load(
    gateway_url: str, admin_key: str, pids: dict[str, int], duration_s: float, rate: float
) -> Results:
    """Drive the mix at `rate` requests/s for `duration_s` seconds (after a warm-up) and measure."""
    results = Results()
    routes, weights = list(MIX), list(MIX.values())
    async with httpx.AsyncClient(
        base_url=gateway_url, timeout=30, limits=httpx.Limits(max_connections=64)
    ) as client:
        _, key, event_ids = await new_partner(client, admin_key, events=3)
        traffic = Traffic(client, key, event_ids, results)
        pending: set[asyncio.Task[None]] = set()

        async def drive(seconds: float, measured: bool) -> None:
            loop = asyncio.get_running_loop()
            start = loop.time()
            n = 0
            while (now := loop.time()) < start + seconds:
                due = start + n / rate
                if due > now:
                    await asyncio.sleep(due - now)
                task = asyncio.create_task(traffic.one(random.choices(routes, weights)[0]))
                pending.add(task)
                task.add_done_callback(pending.discard)
                n += 1
            if measured:
                results.sent, results.duration_s = n, seconds

        await drive(WARM_UP_S, measured=False)
        await asyncio.gather(*pending)
        results.latencies.clear()
        results.statuses.clear()
        results.rss_before = {s: rss_mib(pid) for s, pid in pids.items()}
        await drive(duration_s, measured=True)
        await asyncio.gather(*pending)
        results.rss_after = {s: rss_mib(pid) for s, pid in pids.items()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of measured traffic")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    args = parser.parse_args()

    from testkit.private_platform import platform_on_shared_infra

    from pulse_local import platform

    infra = platform.Infra(os.environ["KAFKA_BOOTSTRAP"], os.environ["MONGO_URL"], False, False)
    with platform_on_shared_infra(Path(tempfile.mkdtemp(prefix="load-mixed-")), infra) as running:
        pids = {s: running.service_pid(s) for s in SERVICES}
        results = asyncio.run(
            run_load(
                running.gateway_url,
                running.admin_key,
                {s: p for s, p in pids.items() if p},
                args.duration,
                args.rate,
            )
        )
    print(results.table())
    grown = {s: g for s, g in results.rss_growth().items() if g > MAX_RSS_GROWTH_MIB}
    if grown:
        sys.exit(f"RSS grew by more than {MAX_RSS_GROWTH_MIB} MiB: {grown}")


if __name__ == "__main__":
    main()
