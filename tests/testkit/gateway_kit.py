"""Gateway test kit: a real HTTP echo backend, gateways under test, counters snapshots on real Kafka."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.app import create_app
from gateway.config import GatewaySettings
from shared.contracts.counters import CountersSnapshot
from shared.contracts.envelope import new_event
from shared.contracts.identity import PUBLIC
from shared.contracts.payloads import COUNTERS_SNAPSHOT
from shared.http.identity import PRINCIPAL_HEADER
from shared.kafka.producer import EventProducer, Outgoing
from shared.kafka.topics_admin import ensure_topics
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.serve import server_options
from shared.signed_tokens import InvalidToken
from testkit import principals

ADMIN_KEY = "test-admin-key-0123456789abcdef"
PARTNERS = {"pA", "pB"}
EVENT_OWNERS = {"eA1": "pA", "eB1": "pB"}
REGISTRATION_OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "registration", "version": "1"},
    "paths": {
        "/v1/participants": {"post": {"summary": "Register a participant", "responses": {"201": {}}}},
        "/internal/thing": {"get": {"responses": {"200": {}}}},
    },
    "components": {"schemas": {"ParticipantCreate": {"type": "object"}}},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


VERIFIERS = {
    name: PrincipalVerifier(principals.PUBLIC_KEY, audience=name)
    for name in ("registration", "events", "metrics", "slow")
}


class Arrivals:
    """How many writes (not the gateway's own GET of a service's OpenAPI document) the slow upstream has
    received. The echo backend runs in another thread; a test waits on this, not on a guess of how long the
    gateway takes to get there."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def add(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_beyond(self, seen: int, timeout_s: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count > seen, timeout_s)


SLOW_ARRIVALS = Arrivals()


def echo_app() -> FastAPI:
    """One backend playing the three services (by path prefix): it answers with what it received."""
    app = FastAPI()

    @app.api_route("/{upstream}/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(upstream: str, rest: str, request: Request) -> JSONResponse:
        if upstream == "slow":
            if request.method != "GET":
                SLOW_ARRIVALS.add()
            await asyncio.sleep(10)
        if upstream == "registration" and rest == "openapi.json":
            return JSONResponse(REGISTRATION_OPENAPI)
        token = request.headers.get(PRINCIPAL_HEADER)
        try:  # as a service would: the gateway's signature, for this service, not expired
            principal = VERIFIERS[upstream].principal(token) if token else PUBLIC
        except InvalidToken:
            return JSONResponse({"title": "Untrusted principal", "status": 401}, status_code=401)
        reply: dict[str, Any] = {
            "upstream": upstream,
            "method": request.method,
            "path": "/" + rest,
            "query": request.url.query,
            "body": (await request.body()).decode(),
            "content_type": request.headers.get("content-type"),
            "principal": principal.model_dump(mode="json", exclude_none=True),
            "request_id": request.headers.get("x-request-id"),
        }
        parts = rest.split("/")
        if request.method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "partners"]:
            if parts[2] not in PARTNERS:
                return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
            reply.update(id=parts[2], programme_id="resilience")
        if request.method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "events"]:
            if parts[2] not in EVENT_OWNERS:
                return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
            reply.update(id=parts[2], partner_id=EVENT_OWNERS[parts[2]])
        return JSONResponse(reply, headers={"x-internal": "no", "location": f"/{rest}"})

    return app


class ServerThread:
    """A uvicorn server in its own thread and event loop, on a free local port."""

    def __init__(
        self, app: FastAPI, *, lifespan: Literal["auto", "on", "off"] = "on", port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        options = server_options(host="127.0.0.1", port=self.port, lifespan=lifespan)
        quick = {"factory": False, "log_level": "warning", "timeout_graceful_shutdown": 1}
        config = uvicorn.Config(app, **(options | quick))  # the platform's settings, for an app object
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@asynccontextmanager
async def gateway_client(
    settings: GatewaySettings, peer: str = "127.0.0.1"
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A gateway app with its lifespan running, and an in-process client for it connecting from `peer`."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(peer, 40_000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=10) as client:
            yield app, client


async def in_one_second(calls: Callable[[], Awaitable[list[int]]], attempts: int = 3) -> list[int]:
    """The statuses of `calls`, made from the start of a second to its end (tried again if they overran it).

    Limits count fixed one-second windows on the wall clock; calls spread over two windows count in both.
    """
    for _ in range(attempts):
        await asyncio.sleep(1 - time.time() % 1 + 0.01)
        second = int(time.time())
        statuses = await calls()
        if int(time.time()) == second:
            return statuses
    raise AssertionError(f"the calls never fitted in one second in {attempts} attempts")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Keys:
    """The callers of the scope matrix; None stands for no key at all."""

    admin: str
    partner_a: str
    partner_b: str
    checkin_a: str
    revoked: str
    expired: str

    def by_name(self) -> dict[str, str | None]:
        return {
            "admin": self.admin,
            "partner_a": self.partner_a,
            "partner_b": self.partner_b,
            "checkin_a": self.checkin_a,
            "revoked": self.revoked,
            "expired": self.expired,
            "public": None,
        }


def figures(programme_id: str, *, trainees: int, exact: bool) -> dict[str, Any]:
    """Programme figures shaped like metrics publishes them; public ones suppress small cells."""

    def cell(value: int) -> int | None:
        return None if not exact and 1 <= value <= 4 else value

    def share(count: int, total: int) -> dict[str, Any]:
        if not exact and 1 <= count <= 4:
            return {"count": None, "percent": None, "suppressed": True}
        return {"count": count, "percent": round(100 * count / total, 1), "suppressed": False}

    students = trainees * 9 + 3
    return {
        "programme_id": programme_id,
        "trainees_trained": trainees,
        "students_reached": students,
        "events_delivered": 42,
        "attendances": trainees + students + 17,
        "leaders": 17,
        "leader_organisations": 9,
        "shares": {
            "trainees_trained": {
                "gender": {
                    "female": share(trainees - trainees // 3 - 3, trainees),
                    "male": share(trainees // 3, trainees),
                    "non_binary": share(3, trainees),
                },
                "ethnic_minority": {
                    "yes": share(trainees // 4, trainees),
                    "no": share(trainees - trainees // 4 - 10, trainees),
                    "not_disclosed": share(10, trainees),
                },
            },
            "students_reached": {
                "gender": {
                    "female": share(students // 2, students),
                    "male": share(students - students // 2 - 40, students),
                    "not_disclosed": share(40, students),
                },
                "ethnicity": {
                    "asian": share(students // 5, students),
                    "black": share(students // 10, students),
                    "mixed": share(students // 20, students),
                    "white": share(students - students // 5 - students // 10 - students // 20 - 2, students),
                    "other": share(2, students),
                },
            },
        },
        "breakdowns": {
            "partner": {
                "prt_ucl": {
                    "attendances": 300,
                    "events_delivered": 20,
                    "trainees_trained": trainees - 3,
                    "students_reached": students - 100,
                    "leaders": 12,
                },
                "prt_tees": {
                    "attendances": 120,
                    "events_delivered": 12,
                    "trainees_trained": 3,
                    "students_reached": 100,
                    "leaders": cell(3),
                },
                "prt_hw": {
                    "attendances": 40,
                    "events_delivered": 10,
                    "trainees_trained": 0,
                    "students_reached": 0,
                    "leaders": 2,
                },
            },
            "nation": {
                "england": {"attendances": 420, "events_delivered": 32, "trainees_trained": trainees},
                "scotland": {"attendances": 40, "events_delivered": cell(4), "trainees_trained": 0},
            },
            "kind": {
                "training": {"attendances": trainees, "events_delivered": 20, "trainees_trained": trainees},
                "outreach": {"attendances": students, "events_delivered": 19, "students_reached": students},
                "accelerator": {"attendances": 17, "events_delivered": cell(3), "leaders": 17},
            },
            "month": {"2026-02": {"attendances": 300}, "2026-03": {"attendances": 160}},
        },
        "reach_by_month": {
            "2026-02": {
                "trainees_trained": trainees // 2,
                "students_reached": students // 2,
                "events_delivered": 20,
                "attendances": (trainees + students) // 2,
                "leaders": 10,
                "leader_organisations": 5,
            },
            "2026-03": {
                "trainees_trained": trainees,
                "students_reached": students,
                "events_delivered": 42,
                "attendances": trainees + students + 17,
                "leaders": 17,
                "leader_organisations": 9,
            },
        },
        "targets": {
            "trainees_trained": {
                "target": 1500,
                "actual": trainees,
                "percent": round(100 * trainees / 1500, 1),
            },
            "students_reached": {
                "target": 15000,
                "actual": students,
                "percent": round(100 * students / 15000, 1),
            },
            "events_delivered": {"target": 170, "actual": 42, "percent": 24.7},
            "leaders": {"target": 75, "actual": 17, "percent": 22.7},
        },
        "disclosure_controlled": not exact,
        "updated_at": datetime.now(UTC).isoformat(),
        "partner_names": {
            "prt_ucl": "University College London",
            "prt_tees": "Teesside University",
            "prt_hw": "Heriot-Watt University",
        },
    }


def snapshot(
    seq: int,
    trainees: int,
    programme_id: str = "resilience",
    public_seq: int | None = None,
    public_trainees: int | None = None,
) -> CountersSnapshot:
    """A snapshot whose public figures were released at `public_seq` (by default: this one)."""
    return CountersSnapshot.model_validate(
        {
            "programme_id": programme_id,
            "seq": seq,
            "exact": figures(programme_id, trainees=trainees, exact=True),
            "public": figures(programme_id, trainees=public_trainees or trainees, exact=False),
            "public_seq": public_seq,
        }
    )


class CountersPublisher:
    """Produces counters snapshots to a gateway's real (compacted) counters topic, as metrics does."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._producer = EventProducer(settings.kafka, client_id="gateway-tests")

    async def start(self) -> None:
        await ensure_topics(self._settings.kafka, self._settings.topics, partitions=1, replication=1)

    async def publish(self, snap: CountersSnapshot) -> None:
        event = new_event(source="metrics", type=COUNTERS_SNAPSHOT, subject=snap.programme_id, data=snap)
        await self._producer.send([Outgoing(self._settings.topics.counters, snap.programme_id, event)])

    async def stop(self) -> None:
        await self._producer.stop()
