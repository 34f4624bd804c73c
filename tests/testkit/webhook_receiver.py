"""A partner's webhook receiver for tests, and an independent check of Standard Webhooks signatures."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, Response

from shared.contracts.envelope import new_event
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    PARTICIPANT_ERASED,
    PARTICIPANT_REGISTERED,
    AttendanceRecorded,
    AttendanceReleased,
    ParticipantErased,
)
from shared.contracts.topics import Topics
from shared.kafka.connection import KafkaConnection
from shared.kafka.producer import EventProducer, Outgoing
from testkit.builders import participant


@dataclass(frozen=True)
class Hit:
    """One request the receiver was sent."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    """Records every request to /hooks/<name>; answers each name's queued statuses first, then 204."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._answers: dict[str, list[int]] = {}
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def answer(self, name: str, *statuses: int) -> None:
        with self._lock:
            self._answers.setdefault(name, []).extend(statuses)

    def hold(self, name: str) -> None:
        """Requests to `name` wait (up to 20 s) until released: an endpoint that hangs."""
        self._gates[name] = threading.Event()

    def release(self, name: str) -> None:
        self._gates.pop(name).set()

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hooks/{name}")
        async def hook(name: str, request: Request) -> Response:
            body = await request.body()
            gate = self._gates.get(name)
            if gate is not None:
                await asyncio.to_thread(gate.wait, 20)
            with self._lock:
                self.hits.append(Hit(f"/hooks/{name}", dict(request.headers), body))
                queued = self._answers.get(name)
                status = queued.pop(0) if queued else 204
            return Response(status_code=status)

        return app

    def to(self, name: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == f"/hooks/{name}"]

    async def wait_for(self, name: str, count: int, timeout_s: float = 30) -> list[Hit]:
        """The hits of `name` once there are at least `count` distinct webhook-ids among them."""
        async with asyncio.timeout(timeout_s):
            while len({hit.webhook_id for hit in self.to(name)}) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        return self.to(name)


def verify(secret: str, hit: Hit, tolerance_s: float = 300) -> None:
    """Check a delivery as the Standard Webhooks specification says a receiver should, independently of
    the gateway's code: HMAC-SHA256 over `id.timestamp.body`, keyed by the base64 part of `whsec_...`."""
    msg_id, timestamp = hit.headers["webhook-id"], hit.headers["webhook-timestamp"]
    assert "." not in msg_id
    assert abs(time.time() - int(timestamp)) <= tolerance_s
    key = base64.b64decode(secret.split("_", 1)[1])
    mac = hmac.new(key, msg_id.encode() + b"." + timestamp.encode() + b"." + hit.body, hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    signatures = [s.split(",", 1) for s in hit.headers["webhook-signature"].split(" ")]
    assert any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in signatures), (
        "no valid signature"
    )


class Facts:
    """Produces what registration and events publish onto a test's real topics."""

    def __init__(self, kafka: KafkaConnection, topics: Topics) -> None:
        self._topics = topics
        self._producer = EventProducer(kafka, client_id="webhook-tests")

    async def stop(self) -> None:
        await self._producer.stop()

    async def registered(self, participant_id: str, partner_id: str, **extra: Any) -> None:
        fact = participant(participant_id, partner_id, consent_demographics=True, **extra)
        await self._send(self._topics.participants, participant_id, PARTICIPANT_REGISTERED, fact)

    async def erased(self, participant_id: str, partner_id: str) -> None:
        fact = ParticipantErased(
            participant_id=participant_id, programme_id="resilience", partner_id=partner_id, version=2
        )
        await self._send(self._topics.participants, participant_id, PARTICIPANT_ERASED, fact)

    async def attended(self, participant_id: str, partner_id: str, event_id: str = "e1") -> None:
        fact = AttendanceRecorded(
            attendance_id=f"{event_id}:{participant_id}",
            programme_id="resilience",
            event_id=event_id,
            participant_id=participant_id,
            partner_id=partner_id,
            checkin_id=f"c-{event_id}-{participant_id}",
            checked_in_at=datetime.now(UTC),
            status="pending",
        )
        await self._send(self._topics.attendance, participant_id, ATTENDANCE_RECORDED, fact)

    async def released(self, participant_id: str, partner_id: str, event_id: str = "e1") -> None:
        fact = AttendanceReleased(
            attendance_id=f"{event_id}:{participant_id}",
            programme_id="resilience",
            event_id=event_id,
            participant_id=participant_id,
            partner_id=partner_id,
            released_at=datetime.now(UTC),
        )
        await self._send(self._topics.attendance, participant_id, ATTENDANCE_RELEASED, fact)

    async def _send(self, topic: str, key: str, type_: str, fact: Any) -> None:
        event = new_event(source="/tests", type=type_, subject=key, data=fact)
        await self._producer.send([Outgoing(topic, key, event)])
