"""Kafka down during a batch upload: every accepted record is stored, and published once Kafka is back."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import bson
import pytest
from testkit.events_bodies import as_partner, attendance_record, batch_body, event_body, participant_ids
from testkit.events_service import running
from testkit.kafka_reading import read_to_end

from events.config import EventsSettings
from shared.mongo.batch_outbox import BLOBS

pytestmark = pytest.mark.integration


def closed_port() -> int:
    """A local port nobody listens on: a Kafka that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_records_accepted_while_kafka_is_down_are_published_when_it_returns(
    make_settings: Callable[..., Any],
) -> None:
    down: EventsSettings = make_settings(EventsSettings, kafka_bootstrap=f"127.0.0.1:{closed_port()}")
    records: list[dict[str, Any]] = []
    async with running(down) as service:
        created = await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))
        assert created.status_code == 201
        records = [attendance_record(created.json()["id"], pid) for pid in participant_ids(300)]
        answer = await service.client.post(
            "/v1/attendance:batch", json=batch_body(records), headers=as_partner("ucl")
        )
        assert answer.status_code == 200
        assert {r["status"] for r in answer.json()["results"]} == {"pending"}
        blobs = await service.db[BLOBS].find().to_list()
        assert sum(len(bson.decode(b["ids"])["ids"]) for b in blobs) == 300  # kept, not sent

    back: EventsSettings = make_settings(EventsSettings)  # same database and topics, the real broker
    async with running(back) as service:
        await service.settled()
    recorded = await read_to_end(back.kafka_bootstrap, back.topics.attendance)
    assert sorted(e["data"]["checkin_id"] for e in recorded) == sorted(r["checkin_id"] for r in records)
    [scheduled] = await read_to_end(back.kafka_bootstrap, back.topics.events)
    assert scheduled["data"]["event_id"] == created.json()["id"]
