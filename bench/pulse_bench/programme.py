"""The programme every benchmark runs on, created through the gateway the way partners would."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from testkit.events_bodies import event_body, recent
from testkit.registration_bodies import participant_body

from pulse_bench.http_load import Pool
from shared.mongo.client import make_mongo_client

REGISTRATION_BATCH = 10_000


class BenchError(RuntimeError):
    """The platform answered something a correct platform would not."""


@dataclass
class Programme:
    partner_key: str
    participants: list[str]
    ingest_events: list[str]
    door_events: list[str] = field(default_factory=list)
    door_keys: list[str] = field(default_factory=list)
    fresh_events: list[str] = field(default_factory=list)
    fresh_keys: list[str] = field(default_factory=list)


async def call(
    pool: Pool, method: str, path: str, key: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
) -> Any:
    status, answer = await pool.request(method, path, {"Authorization": f"Bearer {key}"}, body)
    if status not in ok:
        raise BenchError(f"{method} {path} answered {status}: {answer[:300]!r}")
    return json.loads(answer) if answer else None


async def create(
    pool: Pool, admin: str, *, participants: int, ingest_events: int, door_events: int, fresh_events: int
) -> Programme:
    partner = await call(
        pool, "POST", "/v1/partners", admin, {"name": f"Bench University {uuid.uuid4().hex[:6]}"}
    )
    key = (await call(pool, "POST", f"/v1/partners/{partner['id']}/keys", admin, {}))["key"]

    async def new_event() -> str:
        return str((await call(pool, "POST", "/v1/events", key, event_body()))["id"])

    async def checkin_key(event_id: str) -> str:
        expires = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        body = {"expires_at": expires}
        return str((await call(pool, "POST", f"/v1/events/{event_id}/checkin-keys", key, body))["key"])

    ingest = [await new_event() for _ in range(ingest_events)]
    door = [await new_event() for _ in range(door_events)]
    fresh = [await new_event() for _ in range(fresh_events)]
    programme = Programme(
        partner_key=key,
        participants=[],
        ingest_events=ingest,
        door_events=door,
        door_keys=[await checkin_key(e) for e in door],
        fresh_events=fresh,
        fresh_keys=[await checkin_key(e) for e in fresh],
    )
    run = uuid.uuid4().hex[:6]
    for start in range(0, participants, REGISTRATION_BATCH):
        bodies = [
            participant_body(partner_ref=f"bench-{run}-{n}")
            for n in range(start, min(start + REGISTRATION_BATCH, participants))
        ]
        answer = await call(pool, "POST", "/v1/participants:batch", key, {"participants": bodies})
        for result in answer["results"]:
            if result["status"] not in ("created", "unchanged", "updated"):
                raise BenchError(f"registration refused a participant: {result}")
            programme.participants.append(result["id"])
    return programme


def attendance_records(programme: Programme) -> list[dict[str, Any]]:
    """Every participant at every ingest event: new (event, participant) pairs, each with its checkin_id."""
    at = recent(30)
    return [
        {"event_id": e, "participant_id": p, "checkin_id": str(uuid.uuid4()), "checked_in_at": at}
        for e in programme.ingest_events
        for p in programme.participants
    ]


async def _scrape(pool: Pool) -> dict[str, float]:
    status, body = await pool.request("GET", "/metrics")
    totals: dict[str, float] = {}
    if status != 200:
        return totals
    for line in body.decode().splitlines():
        for name in ("pulse_outbox_backlog", "pulse_kafka_consumer_lag"):
            if line.startswith(name + "{"):
                totals[name] = totals.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
    return totals


async def settle(pools: list[Pool], timeout_s: float = 600) -> float:
    """Wait until no outbox holds unpublished events and no consumer lags, three looks in a row."""
    started = time.perf_counter()
    quiet = 0
    while quiet < 3:
        if time.perf_counter() - started > timeout_s:
            raise BenchError("the platform did not settle")
        totals = [await _scrape(pool) for pool in pools]
        busy = sum(sum(t.values()) for t in totals)
        quiet = quiet + 1 if busy == 0 else 0
        await asyncio.sleep(0.3)
    return time.perf_counter() - started


async def wait_until_stored(
    mongo_url: str, db_prefix: str, participants: int, timeout_s: float = 600
) -> float:
    """Wait until the events service knows every participant and no outbox is left to clear; the seconds.

    `settle` sees neither. A consumer that has not fetched yet (a new group still joining) exports no lag,
    and attendance of a participant the events service does not know yet is stored pending and rewritten
    when the registration arrives, which is not the path the ingest benchmark measures. And a relay clears
    what it published after publishing it, so clearing the setup's writes would fall inside the ingest.
    """
    started = time.perf_counter()
    client = make_mongo_client(mongo_url)
    events, registration = client[db_prefix + "events"], client[db_prefix + "registration"]
    pending = {"outbox_pending": True}
    try:
        while (
            await events["participants"].count_documents({}) < participants
            or await registration["participants"].count_documents(pending)
            or await events["events"].count_documents(pending)
        ):
            if time.perf_counter() - started > timeout_s:
                raise BenchError(
                    f"the setup of {participants:,} participants was not stored in {timeout_s:.0f}s"
                )
            await asyncio.sleep(0.5)
    finally:
        await client.close()
    return time.perf_counter() - started


async def attendances(gateway: Pool, admin: str) -> int:
    status, body = await gateway.request(
        "GET", "/v1/programme/counters", {"Authorization": f"Bearer {admin}"}
    )
    return int(json.loads(body)["attendances"]) if status == 200 else 0


async def wait_for_attendances(gateway: Pool, admin: str, wanted: int, timeout_s: float = 900) -> float:
    """Poll the gateway's exact counters every 50 ms until they show `wanted` attendances; the moment seen."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if await attendances(gateway, admin) >= wanted:
            return time.perf_counter()
        await asyncio.sleep(0.05)
    raise BenchError(f"the gateway's counters never showed {wanted} attendances")
