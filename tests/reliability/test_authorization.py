"""Who may do what to whose objects, against the real services through the gateway (OWASP API1/API5),
and key guessing slowed by the rate limit."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from testkit.events_bodies import checkin_body, event_body
from testkit.fault_traffic import new_partner
from testkit.ops_calls import bearer, patiently
from testkit.private_platform import PrivatePlatform
from testkit.registration_bodies import participant_body

pytestmark = pytest.mark.e2e

CALLERS = ("admin", "partner_a", "partner_b", "checkin_a", "revoked", "expired", "public")
DENIED = {401, 403, 404}


@dataclass
class World:
    """Partner A's objects and every kind of caller."""

    keys: dict[str, str | None]
    partner_a: str
    participant_a: str
    event_a: str
    key_a_id: str
    client: httpx.AsyncClient
    key_a: str

    async def fresh_participant_a(self) -> str:
        created = await patiently(self.client, "POST", "/v1/participants", self.key_a, participant_body())
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    async def fresh_key_a(self) -> str:
        issued = await patiently(
            self.client, "POST", f"/v1/partners/{self.partner_a}/keys", self.keys["admin"], {}
        )
        assert issued.status_code == 201, issued.text
        return str(issued.json()["id"])


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # placeholders: {partner}, {participant}, {event}, {key}, {victim}, {victim_key}
    allowed: frozenset[str]
    body: Callable[[World], Any] | None = None


def _soon() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


ADMIN = frozenset({"admin"})
OWNER = frozenset({"admin", "partner_a"})
ANY_PARTNER = frozenset({"admin", "partner_a", "partner_b"})
EVERYONE = frozenset(CALLERS)

ROUTES = (
    Route("POST", "/v1/partners", ADMIN, lambda w: {"name": f"P {uuid.uuid4().hex[:6]}"}),
    Route("GET", "/v1/partners", ADMIN),
    Route("GET", "/v1/partners/{partner}", OWNER),
    Route("POST", "/v1/partners/{partner}/keys", ADMIN, lambda w: {}),
    Route("GET", "/v1/organisations", ANY_PARTNER),
    Route("POST", "/v1/organisations", ANY_PARTNER, lambda w: {"name": "Org X", "kind": "school"}),
    Route("POST", "/v1/participants", frozenset({"partner_a", "partner_b"}), lambda w: participant_body()),
    Route(
        "POST",
        "/v1/participants:batch",
        frozenset({"partner_a", "partner_b"}),
        lambda w: {"participants": [participant_body()]},
    ),
    Route("GET", "/v1/participants", ANY_PARTNER),
    Route("GET", "/v1/participants/{participant}", OWNER),
    Route("GET", "/v1/participants/{participant}/qr", OWNER),
    Route("DELETE", "/v1/participants/{victim}", OWNER),
    # B naming A as the owner of a new event is refused like any other write for A
    Route("POST", "/v1/events", OWNER, lambda w: event_body(partner_id=w.partner_a)),
    Route("GET", "/v1/events", ANY_PARTNER),
    # The events service lets every partner read the catalogue (to plan around each other)
    Route("GET", "/v1/events/{event}", ANY_PARTNER | {"checkin_a"}),
    Route("PATCH", "/v1/events/{event}", OWNER, lambda w: {"venue": "UCL East, room 2"}),
    Route(
        "POST",
        "/v1/events/{event}/checkins",
        OWNER | {"checkin_a"},
        lambda w: checkin_body(w.participant_a),
    ),
    Route("GET", "/v1/events/{event}/checkins/count", OWNER | {"checkin_a"}),
    Route("POST", "/v1/events/{event}/checkin-keys", OWNER, lambda w: {"expires_at": _soon()}),
    Route(
        "POST",
        "/v1/attendance:batch",
        OWNER,
        lambda w: {"records": [dict(checkin_body(w.participant_a), event_id=w.event_a)]},
    ),
    Route("GET", "/v1/keys", ANY_PARTNER),
    Route("DELETE", "/v1/keys/{victim_key}", OWNER),
    # Public reads need no key, but a bad key is still refused rather than read as none
    Route("GET", "/v1/programme/counters", EVERYONE - {"revoked", "expired"}),
    Route("GET", "/v1/programme/breakdowns?by=partner", EVERYONE - {"revoked", "expired"}),
    Route("GET", "/v1/programme/targets", ADMIN),
)


async def _world(client: httpx.AsyncClient, admin: str) -> World:
    await patiently(client, "GET", "/v1/keys", admin)  # an earlier test may have tripped the limit
    partner_a, key_a, (event_a,) = await new_partner(client, admin, events=1)
    _, key_b, _ = await new_partner(client, admin, events=0)
    registered = await client.post("/v1/participants", json=participant_body(), headers=bearer(key_a))
    assert registered.status_code == 201, registered.text
    door = await client.post(
        f"/v1/events/{event_a}/checkin-keys", json={"expires_at": _soon()}, headers=bearer(key_a)
    )
    assert door.status_code == 201, door.text
    revoked = await client.post(f"/v1/partners/{partner_a}/keys", json={}, headers=bearer(admin))
    assert (await client.delete(f"/v1/keys/{revoked.json()['id']}", headers=bearer(admin))).status_code == 204
    # No past expiry can be issued, so the expired key is a real one left to run out
    expiring = await client.post(
        f"/v1/events/{event_a}/checkin-keys",
        json={"expires_at": (datetime.now(UTC) + timedelta(seconds=2)).isoformat()},
        headers=bearer(key_a),
    )
    assert expiring.status_code == 201, expiring.text
    listed = await client.get("/v1/keys", headers=bearer(key_a))
    key_a_id = next(k["id"] for k in listed.json()["keys"] if k.get("event_id") is None)
    await asyncio.sleep(3)
    keys: dict[str, str | None] = {
        "admin": admin,
        "partner_a": key_a,
        "partner_b": key_b,
        "checkin_a": door.json()["key"],
        "revoked": revoked.json()["key"],
        "expired": expiring.json()["key"],
        "public": None,
    }
    return World(keys, partner_a, registered.json()["id"], event_a, key_a_id, client, key_a)


async def _path(route: Route, world: World, allowed: bool) -> str:
    values = {"partner": world.partner_a, "participant": world.participant_a, "event": world.event_a}
    if "{victim}" in route.path:
        # Refused callers aim at A's live participant; allowed ones erase a throwaway one of A's
        values["victim"] = await world.fresh_participant_a() if allowed else world.participant_a
    if "{victim_key}" in route.path:
        values["victim_key"] = await world.fresh_key_a() if allowed else world.key_a_id
    return route.path.format(**values)


def _refused(response: httpx.Response) -> bool:
    """401/403/404, or a batch answered per item with every item refused."""
    if response.status_code in DENIED:
        return True
    if response.status_code == 200 and ":batch" in str(response.url):
        return all(r["status"] == "error" for r in response.json()["results"])
    return False


async def test_every_route_against_every_caller(services_platform: PrivatePlatform) -> None:
    async with httpx.AsyncClient(base_url=services_platform.gateway_url, timeout=30) as client:
        world = await _world(client, services_platform.admin_key)
        before = (
            await client.get(f"/v1/participants/{world.participant_a}", headers=bearer(world.key_a))
        ).json()
        wrong: list[str] = []
        cells = 0
        for route in ROUTES:
            for caller in CALLERS:
                allowed = caller in route.allowed
                key = world.keys[caller]
                path = await _path(route, world, allowed)
                response = await patiently(
                    client, route.method, path, key, route.body(world) if route.body else None
                )
                cells += 1
                ok = response.is_success if allowed else _refused(response)
                if not ok or response.status_code >= 500:
                    wrong.append(f"{route.method} {route.path} as {caller}: {response.status_code}")
                if response.status_code in DENIED:
                    assert response.headers["content-type"].startswith("application/problem+json")
        # The matrix's own bad keys may still hold this address back: wait out any 429 here too.
        after = (
            await patiently(client, "GET", f"/v1/participants/{world.participant_a}", world.key_a)
        ).json()
        still_usable = await patiently(client, "GET", "/v1/keys", world.key_a)

    print(
        f"\nauthorisation matrix: {len(ROUTES)} routes x {len(CALLERS)} callers = {cells} cells, wrong={len(wrong)}"
    )
    print("\n".join(wrong))
    assert wrong == []
    # Nothing a refused caller sent changed A's participant or revoked A's key
    assert after["given_name"] == before["given_name"]
    assert after["email"] == before["email"]
    assert still_usable.status_code == 200


async def test_partner_b_cannot_reach_partner_a_objects_by_id(services_platform: PrivatePlatform) -> None:
    """Every object id of A, in every place an id goes, is refused to B without saying whether it exists."""
    async with httpx.AsyncClient(base_url=services_platform.gateway_url, timeout=30) as client:
        world = await _world(client, services_platform.admin_key)
        b = bearer(str(world.keys["partner_b"]))
        attempts: list[Awaitable[httpx.Response]] = [
            client.get(f"/v1/participants/{world.participant_a}", headers=b),
            client.get(f"/v1/participants/{world.participant_a}/qr", headers=b),
            client.delete(f"/v1/participants/{world.participant_a}", headers=b),
            client.get(f"/v1/partners/{world.partner_a}", headers=b),
            client.post(f"/v1/partners/{world.partner_a}/keys", json={}, headers=b),
            client.patch(f"/v1/events/{world.event_a}", json={"capacity": 1}, headers=b),
            client.post(
                f"/v1/events/{world.event_a}/checkins", json=checkin_body(world.participant_a), headers=b
            ),
            client.post(f"/v1/events/{world.event_a}/checkin-keys", json={"expires_at": _soon()}, headers=b),
            client.delete(f"/v1/keys/{world.key_a_id}", headers=b),
            client.post(
                "/v1/attendance:batch",
                json={"records": [dict(checkin_body(world.participant_a), event_id=world.event_a)]},
                headers=b,
            ),
        ]
        answers = [await attempt for attempt in attempts]
        listed = await client.get("/v1/participants", headers=b)
        keys = await client.get("/v1/keys", headers=b)
        a_still = await client.get(f"/v1/participants/{world.participant_a}", headers=bearer(world.key_a))

    statuses = [a.status_code for a in answers]
    batch_result = answers[-1].json()["results"][0] if answers[-1].status_code == 200 else None
    print(f"\npartner B on A's ids: {statuses}; batch result: {batch_result}")
    assert all(s in DENIED for s in statuses[:-1]), statuses
    # A batch answers per record: B's record naming A's event is refused in its own result
    assert statuses[-1] in DENIED or (batch_result is not None and batch_result["status"] == "error")
    assert all(p["id"] != world.participant_a for p in listed.json()["items"])
    assert all(k["partner_id"] != world.partner_a for k in keys.json()["keys"])
    assert a_still.status_code == 200


async def test_key_guessing_is_slowed_by_the_rate_limit(services_platform: PrivatePlatform) -> None:
    window_s = 4  # the services platform allows 20 failed keys per address per 4 s (5/s)
    async with httpx.AsyncClient(base_url=services_platform.gateway_url, timeout=30) as client:
        statuses = []
        retry_after = []
        started = time.time()
        for _ in range(60):
            guess = "pulse_" + uuid.uuid4().hex
            response = await client.get("/v1/participants", headers=bearer(guess))
            statuses.append(response.status_code)
            retry_after += [int(response.headers["retry-after"])] if response.status_code == 429 else []
        windows = int(time.time() // window_s) - int(started // window_s) + 1
        # A valid key from the same address is served all the same (callers behind one NAT share it)
        valid = await client.get("/v1/keys", headers=bearer(services_platform.admin_key))

    answered = statuses.count(401)
    print(
        f"\nkey guessing: {answered} answered 401 and {statuses.count(429)} refused with 429, over {windows} windows"
    )
    assert set(statuses) <= {401, 429}
    assert answered <= 20 * windows  # at most 20 failures per address and window: 60 guesses meet 429s
    assert all(seconds >= 1 for seconds in retry_after)
    assert valid.status_code == 200
