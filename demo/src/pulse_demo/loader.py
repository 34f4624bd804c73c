"""Feeds a planned programme through the public gateway API only, the way real clients would.

Every call goes through `pulse_client`, the typed client generated from the published OpenAPI document
(docs/api.md, Python client): if the contract and the API part ways, this is where it shows.

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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import httpx

from pulse_client import AuthenticatedClient
from pulse_client.api.attendance import attendance_batch, check_in
from pulse_client.api.counters import counters
from pulse_client.api.events import create_event
from pulse_client.api.keys import create_checkin_key, create_partner_key
from pulse_client.api.organisations import name_organisation
from pulse_client.api.participants import participant_qr, register_batch
from pulse_client.api.partners import create_partner
from pulse_client.models import (
    AttendanceRead,
    BatchCreate,
    BatchIn,
    BatchOut,
    BatchRead,
    CheckinCreateType1,
    CheckinKeyCreate,
    ConsentIn,
    CountersRead,
    EventCreate,
    EventKind,
    EventRead,
    KeyCreated,
    Nation,
    OrganisationIn,
    OrganisationKind,
    OrganisationRead,
    ParticipantIn,
    PartnerIn,
    PartnerKeyCreate,
    PartnerRead,
    QrTokenRead,
    Role,
)
from pulse_client.types import Response
from pulse_demo.programme import Attendance, Event, Person, Programme

BATCH = 500
DOOR_EVENTS_PER_PARTNER = 2
T = TypeVar("T")
Answer = TypeVar("Answer")
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
    """Loads a programme through one gateway; use it as `async with Loader(...) as loader`."""

    def __init__(
        self,
        gateway_url: str,
        admin_key: str,
        progress: Callable[[str], None] = print,
        door_scans_per_event: int = 60,
        timeout_s: float = 120,
    ) -> None:
        self._url = gateway_url
        self._timeout = httpx.Timeout(timeout_s)
        self._clients: dict[str, AuthenticatedClient] = {}
        self._door_scans = door_scans_per_event
        self._admin = admin_key
        self._started = time.monotonic()
        self._print = progress
        self.ids = Ids()
        self.tally = Tally()

    async def __aenter__(self) -> Loader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in self._clients.values():
            await client.get_async_httpx_client().aclose()
        self._clients.clear()

    def _as(self, key: str) -> AuthenticatedClient:
        """The client calling with one API key (the admin's, a partner's or a door device's)."""
        client = self._clients.get(key)
        if client is None:
            client = AuthenticatedClient(base_url=self._url, token=key, timeout=self._timeout)
            self._clients[key] = client
        return client

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

    async def _send(
        self, what: str, expected: type[Answer], call: Callable[[], Awaitable[Response[Any]]]
    ) -> tuple[int, Answer]:
        """One call, waiting politely on 429/503/504; anything but a 200/201 `expected` is a LoadError."""
        for attempt in range(10):
            response = await call()
            # Busy or slow: a real client waits and sends the same (idempotent) request again.
            if response.status_code in (429, 503, 504) and attempt < 9:
                await asyncio.sleep(float(response.headers.get("Retry-After", min(2**attempt, 15))))
                continue
            if response.status_code not in (200, 201) or not isinstance(response.parsed, expected):
                raise LoadError(f"{what} answered {response.status_code}: {response.content[:500]!r}")
            return int(response.status_code), response.parsed
        raise AssertionError("unreachable")

    async def _partners(self, programme: Programme) -> None:
        admin = self._as(self._admin)
        for key, name in programme.partners:
            _, partner = await self._send(
                "create partner",
                PartnerRead,
                partial(
                    create_partner.asyncio_detailed,
                    client=admin,
                    body=PartnerIn(name=name),
                    idempotency_key=_idempotency_key("partner", key),
                ),
            )
            self.ids.partners[key] = partner.id
            _, issued = await self._send(
                "create partner key",
                KeyCreated,
                partial(
                    create_partner_key.asyncio_detailed,
                    partner.id,
                    client=admin,
                    body=PartnerKeyCreate(label="demo loader"),
                ),
            )
            self.ids.keys[key] = issued.key
        self._progress(f"created {len(programme.partners)} partners and their API keys")

    async def _organisations(self, programme: Programme) -> None:
        partner_keys = list(self.ids.keys.values())

        async def name(key: str, body: OrganisationIn) -> OrganisationRead:
            _, named = await self._send(
                "name organisation",
                OrganisationRead,
                lambda: name_organisation.asyncio_detailed(client=self._as(key), body=body),
            )
            return named

        for n, org in enumerate(programme.organisations):
            body = OrganisationIn(name=org.name, kind=OrganisationKind(org.kind.value))
            created = await name(partner_keys[n % len(partner_keys)], body)
            # A second partner names the same employer and gets the same organisation.
            again = await name(partner_keys[(n + 1) % len(partner_keys)], body)
            if again.id != created.id:
                raise LoadError(f"organisation {org.name} was created twice")
            self.ids.organisations[org.key] = created.id
        self._progress(f"created {len(programme.organisations)} organisations")

    async def _events(self, programme: Programme) -> None:
        async def create(event: Event) -> None:
            _, created = await self._send(
                "create event",
                EventRead,
                lambda: create_event.asyncio_detailed(
                    client=self._as(self.ids.keys[event.partner]),
                    body=_event_body(event),
                    idempotency_key=_idempotency_key("event", event.key),
                ),
            )
            self.ids.events[event.key] = created.id

        await asyncio.gather(*(create(e) for e in programme.events))
        self._progress(f"scheduled {len(programme.events)} events")

    async def _register(self, partner: str, people: list[Person]) -> None:
        client = self._as(self.ids.keys[partner])

        async def send(body: BatchIn) -> BatchOut:
            _, answer = await self._send(
                "register participants",
                BatchOut,
                lambda: register_batch.asyncio_detailed(client=client, body=body),
            )
            return answer

        for n, chunk in enumerate(_chunks(people, BATCH)):
            body = BatchIn(participants=[self._person_body(p).to_dict() for p in chunk])
            results = (await send(body)).results
            if n == 0:  # the partner's system timed out and retried its first batch
                retried = (await send(body)).results
                if [r.id for r in retried] != [r.id for r in results]:
                    raise LoadError("a retried registration batch gave different ids")
                self.tally.add(
                    "registration-retry", "unchanged", sum(r.status == "unchanged" for r in retried)
                )
            for person, result in zip(chunk, results, strict=True):
                if result.status == "error" or not isinstance(result.id, str):
                    raise LoadError(f"registration of {person.key} failed: {result.to_dict()}")
                self.ids.people[person.key] = result.id
                self.tally.add("registration", result.status)

    def _person_body(self, person: Person) -> ParticipantIn:
        body = ParticipantIn(
            partner_ref=person.key,
            role=Role(person.role.value),
            given_name=person.given_name,
            family_name=person.family_name,
            email=person.email,
            consent=ConsentIn(data_processing=True, demographics=person.consent_demographics),
        )
        if person.organisation:
            body.organisation_id = self.ids.organisations[person.organisation]
        if person.consent_demographics:
            demographics = {"gender": person.gender, "ethnicity": person.ethnicity, "nation": person.nation}
            return ParticipantIn.from_dict(
                body.to_dict() | {k: v.value for k, v in demographics.items() if v is not None}
            )
        return body

    def _record(self, visit: Attendance) -> dict[str, Any]:
        """One record of an attendance batch; the document leaves records untyped, each refused on its own."""
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
            client = self._as(self.ids.keys[partner])

            async def send(body: BatchCreate) -> BatchRead:
                _, answer = await self._send(
                    "upload attendance",
                    BatchRead,
                    lambda: attendance_batch.asyncio_detailed(client=client, body=body),
                )
                return answer

            for n, chunk in enumerate(_chunks(records, BATCH)):
                body = BatchCreate(records=[self._record(v) for v in chunk])
                answer = await send(body)
                if n % 3 == 0:  # a retried upload: every record comes back as a duplicate
                    again = await send(body)
                    self.tally.add(
                        "attendance-retry", "duplicate", sum(r.status == "duplicate" for r in again.results)
                    )
                for result in answer.results:
                    if result.status == "error":
                        raise LoadError(f"attendance upload failed: {result.to_dict()}")
                    self.tally.add("attendance", result.status)

        await asyncio.gather(*(upload(p, v) for p, v in by_partner.items()))
        self._progress(f"uploaded {len(visits):,} attendance records in batches")

    async def _device_key(self, event: Event) -> str:
        body = CheckinKeyCreate(expires_at=datetime.now(UTC) + timedelta(days=2), label="door tablet")
        _, issued = await self._send(
            "create check-in key",
            KeyCreated,
            lambda: create_checkin_key.asyncio_detailed(
                self.ids.events[event.key], client=self._as(self.ids.keys[event.partner]), body=body
            ),
        )
        return issued.key

    async def _qr_token(self, programme: Programme, person_key: str) -> str:
        person = next(p for p in programme.people if p.key == person_key)
        _, answer = await self._send(
            "issue QR token",
            QrTokenRead,
            lambda: participant_qr.asyncio_detailed(
                self.ids.people[person_key], client=self._as(self.ids.keys[person.partner])
            ),
        )
        return answer.token

    async def _scan(self, device_key: str, visit: Attendance, token: str) -> str:
        body = CheckinCreateType1(qr_token=token)
        # The generator types only the member that names the participant; the rest ride along.
        body.additional_properties.update(
            checkin_id=checkin_id(visit), checked_in_at=visit.checked_in_at.isoformat()
        )
        status, _ = await self._send(
            "check in",
            AttendanceRead,
            lambda: check_in.asyncio_detailed(
                self.ids.events[visit.event], client=self._as(device_key), body=body
            ),
        )
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

    async def counters(self) -> dict[str, Any]:
        """The programme's counters as an admin sees them; empty while the gateway has none to show."""
        response = await counters.asyncio_detailed(client=self._as(self._admin))
        return response.parsed.to_dict() if isinstance(response.parsed, CountersRead) else {}

    async def wait_for_counters(self, attendances: int, timeout_s: float = 600) -> dict[str, Any]:
        """Poll the gateway's counters until they show every attendance (or time runs out)."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        shown: dict[str, Any] = {}
        while asyncio.get_running_loop().time() < deadline:
            shown = await self.counters()
            if shown.get("attendances") == attendances:
                return shown
            await asyncio.sleep(0.5)
        raise LoadError(f"counters did not reach {attendances} attendances in {timeout_s:.0f}s: {shown}")


def _event_body(event: Event) -> EventCreate:
    return EventCreate(
        title=event.title,
        kind=EventKind(event.kind.value),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        nation=Nation(event.nation.value),
        region=event.region,
        venue=event.venue,
        capacity=event.capacity,
    )


def _idempotency_key(kind: str, key: str) -> str:
    """The same create always sends the same key, so a retry after a 503 or 504 creates nothing twice."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{key}"))


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
