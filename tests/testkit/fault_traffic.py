"""Steady registrations and check-ins through the gateway while parts fail, and the books to check afterwards.

Each request is sent once while the fault lasts and its answer is recorded: a 2xx is accepted, a 503/504
problem or a refused connection is a clear refusal, anything else (another 5xx, a dropped connection) is
unclear. Once the platform is back, every refused or unclear request is replayed with the same body (the
API is idempotent), so the books say exactly what is stored and the counters can be checked to the unit.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from testkit.events_bodies import checkin_body, event_body
from testkit.ops_calls import bearer
from testkit.registration_bodies import participant_body

CLEAR_REFUSALS = {503, 504}


@dataclass
class Request:
    """One write and what became of it."""

    path: str
    body: dict[str, Any]
    outcome: str = ""  # accepted | refused | unclear
    status: int | None = None
    id: str | None = None


@dataclass
class Books:
    registrations: list[Request] = field(default_factory=list)
    checkins: list[Request] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    def figures(self) -> dict[str, int]:
        every = self.registrations + self.checkins
        return {
            "sent": len(every),
            "accepted": sum(r.outcome == "accepted" for r in every),
            "refused": sum(r.outcome == "refused" for r in every),
            "unclear": sum(r.outcome == "unclear" for r in every),
        }


async def send(client: httpx.AsyncClient, key: str, request: Request, books: Books) -> None:
    """Send once and record the outcome; a 5xx other than 503/504 or a dropped connection is 'unclear'."""
    try:
        response = await client.post(request.path, json=request.body, headers=bearer(key))
    except httpx.ConnectError:
        request.outcome, request.status = "refused", None  # nothing listened: nothing can have happened
        books.statuses["connect-refused"] += 1
        return
    except httpx.TransportError as exc:
        request.outcome = "unclear"
        books.statuses[type(exc).__name__] += 1
        return
    request.status = response.status_code
    books.statuses[str(response.status_code)] += 1
    if response.is_success:
        request.outcome, request.id = "accepted", response.json()["id"]
    elif response.status_code in CLEAR_REFUSALS and response.headers.get("content-type", "").startswith(
        "application/problem+json"
    ):
        request.outcome = "refused"
    else:
        request.outcome = "unclear"


@dataclass
class Stream:
    """Clients registering people and checking each accepted one in to one of a partner's events."""

    client: httpx.AsyncClient
    key: str
    event_ids: list[str]
    books: Books = field(default_factory=Books)
    clients: int = 3
    pause_s: float = 0.3
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def _one_client(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            reg = Request("/v1/participants", participant_body())
            self.books.registrations.append(reg)
            await send(self.client, self.key, reg, self.books)
            if reg.outcome == "accepted":
                event_id = self.event_ids[(n + i) % len(self.event_ids)]
                chk = Request(f"/v1/events/{event_id}/checkins", checkin_body(reg.id))
                self.books.checkins.append(chk)
                await send(self.client, self.key, chk, self.books)
            i += 1
            await asyncio.sleep(self.pause_s)

    async def run_until_stopped(self) -> None:
        await asyncio.gather(*(self._one_client(n) for n in range(self.clients)))


async def new_partner(
    client: httpx.AsyncClient, admin_key: str, events: int = 2
) -> tuple[str, str, list[str]]:
    """A partner, its key and `events` training events of its own; returns (partner_id, key, event_ids)."""
    partner = await client.post(
        "/v1/partners", json={"name": f"Faults {uuid.uuid4().hex[:6]}"}, headers=bearer(admin_key)
    )
    assert partner.status_code == 201, partner.text
    partner_id = partner.json()["id"]
    issued = await client.post(f"/v1/partners/{partner_id}/keys", json={}, headers=bearer(admin_key))
    assert issued.status_code == 201, issued.text
    key = issued.json()["key"]
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    event_ids = []
    for _ in range(events):
        created = await client.post(
            "/v1/events",
            json=event_body(
                starts_at=yesterday.isoformat(), ends_at=(yesterday + timedelta(days=2)).isoformat()
            ),
            headers=bearer(key),
        )
        assert created.status_code == 201, created.text
        event_ids.append(created.json()["id"])
    return partner_id, key, event_ids


async def settle(client: httpx.AsyncClient, key: str, books: Books, timeout_s: float = 120) -> Counter[str]:
    """Replay every refused or unclear write until it is answered 2xx; returns how the replays answered.

    A replay answered 200 was stored the first time although the client was not told so ('accepted and
    delivered later'); 201 means the first attempt stored nothing.
    """
    replays: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    for request in books.registrations:
        if request.outcome != "accepted":
            await _replay(client, key, request, replays, deadline)
    for request in books.checkins:  # only accepted registrations were ever checked in
        if request.outcome != "accepted":
            await _replay(client, key, request, replays, deadline)
    return replays


async def _replay(
    client: httpx.AsyncClient, key: str, request: Request, replays: Counter[str], deadline: float
) -> None:
    while True:
        retry = Request(request.path, request.body)
        await send(client, key, retry, Books())
        if retry.outcome == "accepted":
            replays[f"{request.outcome}->{retry.status}"] += 1
            request.id = retry.id
            return
        assert retry.outcome == "refused", f"replay of {request.path} answered {retry.status}"
        assert asyncio.get_running_loop().time() < deadline, f"{request.path} still refused"
        await asyncio.sleep(0.5)


async def lost_writes(client: httpx.AsyncClient, key: str, books: Books) -> list[str]:
    """Accepted writes the owning service cannot show: participants by GET, check-ins by an idempotent replay."""
    lost = []
    for reg in books.registrations:
        if reg.outcome == "accepted":
            response = await client.get(f"/v1/participants/{reg.id}", headers=bearer(key))
            if response.status_code != 200:
                lost.append(f"participant {reg.id}: {response.status_code}")
    for chk in books.checkins:
        if chk.outcome == "accepted":
            again = await client.post(chk.path, json=chk.body, headers=bearer(key))
            if again.status_code != 200 or again.json().get("id") != chk.id:
                lost.append(f"check-in {chk.id}: replay answered {again.status_code}")
    return lost


async def admin_counters(client: httpx.AsyncClient, admin_key: str) -> dict[str, Any]:
    response = await client.get("/v1/programme/counters", headers=bearer(admin_key))
    if response.status_code == 503:
        return {"seq": -1, "attendances": 0, "trainees_trained": 0}
    assert response.status_code == 200, response.text
    figures: dict[str, Any] = response.json()
    return figures


async def counters_once_quiet(
    client: httpx.AsyncClient, admin_key: str, want: dict[str, int], timeout_s: float = 120
) -> dict[str, Any]:
    """The admin counters once they reach `want` (or the last seen after timeout_s), then a few seconds
    more so that an over-count arriving late would show."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    seen = await admin_counters(client, admin_key)
    while loop.time() < deadline and any(seen.get(k) != v for k, v in want.items()):
        await asyncio.sleep(1)
        seen = await admin_counters(client, admin_key)
    await asyncio.sleep(4)
    return await admin_counters(client, admin_key)


def expected_counts(books: Books, baseline: dict[str, Any]) -> dict[str, int]:
    """attendances: distinct stored (event, participant) check-ins; trainees: distinct participants in them."""
    pairs = {(c.path, c.body["participant_id"]) for c in books.checkins if c.outcome == "accepted" or c.id}
    people = {p for _, p in pairs}
    return {
        "attendances": baseline["attendances"] + len(pairs),
        "trainees_trained": baseline["trainees_trained"] + len(people),
    }


def report(name: str, books: Books, replays: Counter[str], lost: list[str]) -> str:
    figures = books.figures()
    return (
        f"\n{name}: sent={figures['sent']} accepted={figures['accepted']} refused={figures['refused']} "
        f"unclear={figures['unclear']} lost={len(lost)} statuses={dict(books.statuses)} "
        f"replays={dict(replays)}"
    )


@dataclass
class SseClient:
    """Follows the counters stream, reconnecting with Last-Event-ID as a browser's EventSource would."""

    base_url: str
    key: str
    last_id: str | None = None
    connects: int = 0
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def follow(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=httpx.Timeout(5, read=30)) as client:
            while not self.stop.is_set():
                headers = bearer(self.key)
                if self.last_id is not None:
                    headers["Last-Event-ID"] = self.last_id
                try:
                    async with client.stream("GET", "/v1/programme/counters/stream", headers=headers) as r:
                        if r.status_code != 200:
                            await asyncio.sleep(0.5)
                            continue
                        self.connects += 1
                        await self._read(r)
                except httpx.TransportError:
                    pass  # the gateway went away: reconnect after a pause, like EventSource's retry
                await asyncio.sleep(0.5)

    async def _read(self, response: httpx.Response) -> None:
        event_id, data = None, []
        async for line in response.aiter_lines():
            if self.stop.is_set():
                return
            if line.startswith("id:"):
                event_id = line[3:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                self.snapshots.append(json.loads("\n".join(data)))
                if event_id is not None:
                    self.last_id = event_id
                    self.seqs.append(int(event_id))
                event_id, data = None, []
