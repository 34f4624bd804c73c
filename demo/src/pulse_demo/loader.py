"""Feeds a planned programme through the public gateway API only, the way real clients would.

Partners register their people and upload attendance in batches (some batches retried); door devices with
check-in keys scan QR tokens one by one (with re-scans); one device was offline and uploads its backlog
late; the last registrations are followed at once by their attendance, before the events service has seen
them (reported as `pending`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from pulse_demo.programme import Attendance, Event, Person, Programme

BATCH = 500
DOOR_EVENTS_PER_PARTNER = 2
T = TypeVar("T")
_NAMESPACE = uuid.UUID("6f1c2a52-8b8e-4c57-9a55-0d2a4f3b9e10")


class LoadError(RuntimeError):
    """The platform answered something a correct platform would not."""


@dataclass
class Ids:
    partners: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    """What the loader sent and what the platform answered."""

    statuses: Counter[str] = field(default_factory=Counter)

    def add(self, what: str, status: str, n: int = 1) -> None:
        self.statuses[f"{what}:{status}"] += n


def checkin_id(visit: Attendance) -> str:
    """The same visit always gets the same client id, so a retried upload is idempotent."""
    return str(uuid.uuid5(_NAMESPACE, f"{visit.event}/{visit.person}"))


class Loader:
    def __init__(
        self,
        client: httpx.AsyncClient,
        admin_key: str,
        progress: Callable[[str], None] = print,
        door_scans_per_event: int = 60,
    ) -> None:
        self._client = client
        self._door_scans = door_scans_per_event
        self._admin = admin_key
        self._started = time.monotonic()
        self._print = progress
        self.ids = Ids()
        self.tally = Tally()

    async def load(self, programme: Programme) -> None:
        await self._partners(programme)
        await self._organisations(programme)
        await self._events(programme)
        people_by_partner = _group(programme.people, lambda p: p.partner)
        held_back = {p.key for p in programme.people[-max(1, len(programme.people) // 50) :]}
        await asyncio.gather(
            *(
                self._register(partner, [p for p in people if p.key not in held_back])
                for partner, people in people_by_partner.items()
            )
        )
        self._progress(f"registered {len(self.ids.people):,} participants")
        door, offline, batch = (
            [v for v in channel if v.person not in held_back]
            for channel in _channels(programme, self._door_scans)
        )
        early = [v for v in programme.attendance if v.person in held_back]
        await self._attendance_batches(programme, batch)
        await self._door(programme, door)
        await self._offline_backlog(programme, offline)
        await self._late_registrations(programme, held_back, early)

    def _progress(self, line: str) -> None:
        self._print(f"[{time.monotonic() - self._started:6.1f}s] {line}")

    async def _call(self, method: str, path: str, key: str, body: Any = None) -> Any:
        return (await self._request(method, path, key, body))[1]

    async def _request(self, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
        """Send one request, waiting politely on 429/503; anything but 200/201 is a LoadError."""
        for attempt in range(10):
            response = await self._client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {key}"}
            )
            # Busy or slow: a real client waits and sends the same (idempotent) request again.
            if response.status_code in (429, 503, 504) and attempt < 9:
                await asyncio.sleep(float(response.headers.get("Retry-After", min(2**attempt, 15))))
                continue
            if response.status_code not in (200, 201):
                raise LoadError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
            return response.status_code, response.json() if response.content else None
        raise AssertionError("unreachable")

    async def _partners(self, programme: Programme) -> None:
        for key, name in programme.partners:
            partner = await self._call("POST", "/v1/partners", self._admin, {"name": name})
            self.ids.partners[key] = partner["id"]
            issued = await self._call("POST", f"/v1/partners/{partner['id']}/keys", self._admin, {})
            self.ids.keys[key] = issued["key"]
        self._progress(f"created {len(programme.partners)} partners and their API keys")

    async def _organisations(self, programme: Programme) -> None:
        partner_keys = list(self.ids.keys.values())
        for n, org in enumerate(programme.organisations):
            body = {"name": org.name, "kind": org.kind.value}
            created = await self._call("POST", "/v1/organisations", partner_keys[n % len(partner_keys)], body)
            # A second partner names the same employer and gets the same organisation.
            again = await self._call(
                "POST", "/v1/organisations", partner_keys[(n + 1) % len(partner_keys)], body
            )
            if again["id"] != created["id"]:
                raise LoadError(f"organisation {org.name} was created twice")
            self.ids.organisations[org.key] = created["id"]
        self._progress(f"created {len(programme.organisations)} organisations")

    async def _events(self, programme: Programme) -> None:
        async def create(event: Event) -> None:
            created = await self._call("POST", "/v1/events", self.ids.keys[event.partner], _event_body(event))
            self.ids.events[event.key] = created["id"]

        await asyncio.gather(*(create(e) for e in programme.events))
        self._progress(f"scheduled {len(programme.events)} events")

    async def _register(self, partner: str, people: list[Person]) -> None:
        for n, chunk in enumerate(_chunks(people, BATCH)):
            bodies = [self._person_body(p) for p in chunk]
            answer = await self._call(
                "POST", "/v1/participants:batch", self.ids.keys[partner], {"participants": bodies}
            )
            results = answer["results"]
            if n == 0:  # the partner's system timed out and retried its first batch
                retried = await self._call(
                    "POST", "/v1/participants:batch", self.ids.keys[partner], {"participants": bodies}
                )
                if [r.get("id") for r in retried["results"]] != [r.get("id") for r in results]:
                    raise LoadError("a retried registration batch gave different ids")
                self.tally.add(
                    "registration-retry",
                    "unchanged",
                    sum(r["status"] == "unchanged" for r in retried["results"]),
                )
            for person, result in zip(chunk, results, strict=True):
                if result["status"] == "error":
                    raise LoadError(f"registration of {person.key} failed: {result}")
                self.ids.people[person.key] = result["id"]
                self.tally.add("registration", result["status"])

    def _person_body(self, person: Person) -> dict[str, Any]:
        body: dict[str, Any] = {
            "partner_ref": person.key,
            "role": person.role.value,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": person.email,
            "consent": {"data_processing": True, "demographics": person.consent_demographics},
        }
        if person.organisation:
            body["organisation_id"] = self.ids.organisations[person.organisation]
        if person.consent_demographics:
            body |= {
                k: v.value
                for k, v in (
                    ("gender", person.gender),
                    ("ethnicity", person.ethnicity),
                    ("nation", person.nation),
                )
                if v
            }
        return body

    def _record(self, visit: Attendance) -> dict[str, Any]:
        return {
            "event_id": self.ids.events[visit.event],
            "participant_id": self.ids.people[visit.person],
            "checkin_id": checkin_id(visit),
            "checked_in_at": visit.checked_in_at.isoformat(),
        }

    async def _attendance_batches(self, programme: Programme, visits: list[Attendance]) -> None:
        events = {e.key: e for e in programme.events}
        by_partner = _group(visits, lambda v: events[v.event].partner)

        async def upload(partner: str, records: list[Attendance]) -> None:
            for n, chunk in enumerate(_chunks(records, BATCH)):
                body = {"records": [self._record(v) for v in chunk]}
                answer = await self._call("POST", "/v1/attendance:batch", self.ids.keys[partner], body)
                if n % 3 == 0:  # a retried upload: every record comes back as a duplicate
                    again = await self._call("POST", "/v1/attendance:batch", self.ids.keys[partner], body)
                    self.tally.add(
                        "attendance-retry",
                        "duplicate",
                        sum(r["status"] == "duplicate" for r in again["results"]),
                    )
                for result in answer["results"]:
                    if result["status"] == "error":
                        raise LoadError(f"attendance upload failed: {result}")
                    self.tally.add("attendance", result["status"])

        await asyncio.gather(*(upload(p, v) for p, v in by_partner.items()))
        self._progress(f"uploaded {len(visits):,} attendance records in batches")

    async def _device_key(self, event: Event) -> str:
        expires_at = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        issued = await self._call(
            "POST",
            f"/v1/events/{self.ids.events[event.key]}/checkin-keys",
            self.ids.keys[event.partner],
            {"expires_at": expires_at, "label": "door tablet"},
        )
        return str(issued["key"])

    async def _qr_token(self, programme: Programme, person_key: str) -> str:
        person = next(p for p in programme.people if p.key == person_key)
        answer = await self._call(
            "GET", f"/v1/participants/{self.ids.people[person_key]}/qr", self.ids.keys[person.partner]
        )
        return str(answer["token"])

    async def _scan(self, device_key: str, visit: Attendance, token: str) -> str:
        path = f"/v1/events/{self.ids.events[visit.event]}/checkins"
        body = {
            "qr_token": token,
            "checkin_id": checkin_id(visit),
            "checked_in_at": visit.checked_in_at.isoformat(),
        }
        status, _ = await self._request("POST", path, device_key, body)
        return "new" if status == 201 else "repeat"

    async def _door(self, programme: Programme, visits: list[Attendance]) -> None:
        events = {e.key: e for e in programme.events}
        for event_key, event_visits in _group(visits, lambda v: v.event).items():
            device = await self._device_key(events[event_key])
            for n, visit in enumerate(event_visits):
                token = await self._qr_token(programme, visit.person)
                self.tally.add("door-scan", await self._scan(device, visit, token))
                if n % 10 == 0:  # the same badge scanned twice at the door
                    self.tally.add("door-rescan", await self._scan(device, visit, token))
        self._progress(f"scanned {len(visits):,} people in at the door")

    async def _offline_backlog(self, programme: Programme, visits: list[Attendance]) -> None:
        """A device that lost its connection uploads its scans hours later, with their original times."""
        events = {e.key: e for e in programme.events}
        tokens = {v.person: await self._qr_token(programme, v.person) for v in visits}
        for event_key, event_visits in _group(visits, lambda v: v.event).items():
            device = await self._device_key(events[event_key])
            for visit in event_visits:
                self.tally.add("offline-upload", await self._scan(device, visit, tokens[visit.person]))
            for visit in event_visits[:5]:  # the app resent the start of its queue
                self.tally.add("offline-resend", await self._scan(device, visit, tokens[visit.person]))
        self._progress(f"an offline device uploaded a backlog of {len(visits):,} check-ins")

    async def _late_registrations(
        self, programme: Programme, held_back: set[str], early: list[Attendance]
    ) -> None:
        people = [p for p in programme.people if p.key in held_back]
        await asyncio.gather(
            *(
                self._register(partner, group)
                for partner, group in _group(people, lambda p: p.partner).items()
            )
        )
        await self._attendance_batches(programme, early)  # at once, before events has heard of them
        self._progress(f"registered {len(people):,} late participants and uploaded their attendance at once")

    async def wait_for_counters(self, attendances: int, timeout_s: float = 600) -> dict[str, Any]:
        """Poll the gateway's counters until they show every attendance (or time runs out)."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        counters: dict[str, Any] = {}
        while asyncio.get_running_loop().time() < deadline:
            response = await self._client.get(
                "/v1/programme/counters", headers={"Authorization": f"Bearer {self._admin}"}
            )
            if response.status_code == 200:
                counters = response.json()
                if counters.get("attendances") == attendances:
                    return counters
            await asyncio.sleep(0.5)
        raise LoadError(f"counters did not reach {attendances} attendances in {timeout_s:.0f}s: {counters}")


def _event_body(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "kind": event.kind.value,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "nation": event.nation.value,
        "region": event.region,
        "venue": event.venue,
        "capacity": event.capacity,
    }


def _channels(
    programme: Programme, scans_per_event: int
) -> tuple[list[Attendance], list[Attendance], list[Attendance]]:
    """Split attendance into door scans, one offline device's backlog, and partner batch uploads."""
    events = {e.key: e for e in programme.events}
    by_event = _group(programme.attendance, lambda v: v.event)
    door_events: list[str] = []
    for partner, _ in programme.partners:
        own = [k for k in by_event if events[k].partner == partner]
        door_events += own[:DOOR_EVENTS_PER_PARTNER]
    door: list[Attendance] = []
    offline: list[Attendance] = []
    for n, key in enumerate(door_events):
        scans = by_event[key][:scans_per_event]
        (offline if n == 0 else door).extend(scans)
    taken = {(v.event, v.person) for v in door + offline}
    batch = [v for v in programme.attendance if (v.event, v.person) not in taken]
    return door, offline, batch


def _group(items: Sequence[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
