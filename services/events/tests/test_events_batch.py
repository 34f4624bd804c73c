"""Bulk attendance: a result per record, replays counted once, pending until the participant is known."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from pymongo import ASCENDING
from testkit.events_bodies import (
    as_admin,
    as_door,
    as_partner,
    attendance_record,
    batch_body,
    event_body,
    participant_ids,
)
from testkit.events_service import EventsService, published, register, running

from events.config import EventsSettings
from events.domain.attendance import Claim, Outcome
from events.domain.rules import to_millis
from events.handlers.attendance import attendance_document
from events.messages import batch_message_of
from events.repository.stores import AWAITING_FIELD
from shared.contracts.payloads import ATTENDANCE_RECORDED, ATTENDANCE_RELEASED
from shared.mongo.batch_outbox import Batch
from shared.mongo.client import make_mongo_client

pytestmark = pytest.mark.integration


async def schedule(service: EventsService, partner_id: str = "ucl", **overrides: str) -> str:
    created = await service.client.post(
        "/v1/events", json=event_body(**overrides), headers=as_partner(partner_id)
    )
    assert created.status_code == 201
    event_id: str = created.json()["id"]
    return event_id


async def test_a_mixed_batch_answers_each_record_in_order(service: EventsService) -> None:
    mine, theirs, cancelled = (
        await schedule(service),
        await schedule(service, "teesside"),
        await schedule(service),
    )
    await service.client.patch(
        f"/v1/events/{cancelled}", json={"status": "cancelled"}, headers=as_partner("ucl")
    )
    a, b, c = participant_ids(3)
    already = attendance_record(mine, a)
    first = await service.client.post(
        "/v1/attendance:batch", json=batch_body([already]), headers=as_partner("ucl")
    )
    assert first.json()["results"][0]["status"] == "pending"

    records = [
        attendance_record(mine, b),  # 0 new
        {**already, "checkin_id": str(uuid.uuid4())},  # 1 a re-scan stored earlier
        attendance_record(mine, b),  # 2 the same pair again in this batch
        attendance_record(theirs, c),  # 3 another partner's event
        attendance_record("no-such-event", c),  # 4
        attendance_record(cancelled, c),  # 5
        attendance_record(mine, c, checkin_id=already["checkin_id"]),  # 6 checkin_id of another attendance
        attendance_record(mine, c, checked_in_at="2026-03-01T10:00:00"),  # 7 no time zone
        attendance_record(mine, c, surprise=True),  # 8 unknown field
        "not a record",  # 9
        attendance_record(mine, c),  # 10 new
    ]
    answer = await service.client.post(
        "/v1/attendance:batch", json=batch_body(records), headers=as_partner("ucl")
    )

    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["index"] for r in results] == list(range(len(records)))
    assert [r["status"] for r in results] == [
        "pending", "duplicate", "duplicate", "error", "error", "error", "error", "error", "error", "error", "pending",
    ]  # fmt: skip
    assert results[1]["id"] == first.json()["results"][0]["id"]
    assert results[2]["id"] == results[0]["id"]
    # Each item has an id or an error, never a null of the other.
    assert "error" not in results[0]
    assert "id" not in results[3]
    assert [results[i]["error"]["status"] for i in (3, 4, 5, 6, 7, 8, 9)] == [
        403,
        404,
        409,
        409,
        422,
        422,
        422,
    ]
    assert "surprise" in results[8]["error"]["detail"]
    assert await service.stored_attendance() == 3  # a, b and c once each


async def test_a_replayed_batch_is_counted_once(service: EventsService) -> None:
    event_id = await schedule(service)
    records = [attendance_record(event_id, pid) for pid in participant_ids(50)]

    first = await service.client.post(
        "/v1/attendance:batch", json=batch_body(records), headers=as_partner("ucl")
    )
    replay = await service.client.post("/v1/attendance:batch", json=batch_body(records), headers=as_admin())

    assert Counter(r["status"] for r in first.json()["results"]) == {"pending": 50}
    assert Counter(r["status"] for r in replay.json()["results"]) == {"duplicate": 50}
    assert [r["id"] for r in replay.json()["results"]] == [r["id"] for r in first.json()["results"]]
    await service.settled()
    recorded = await published(service.settings.kafka_bootstrap, service.settings.topics.attendance)
    assert sorted(e["data"]["checkin_id"] for e in recorded) == sorted(r["checkin_id"] for r in records)


async def test_batches_need_a_partner_or_admin_key(service: EventsService) -> None:
    event_id = await schedule(service)
    body = batch_body([attendance_record(event_id, "p-1")])

    assert (await service.client.post("/v1/attendance:batch", json=body)).status_code == 401
    door = await service.client.post("/v1/attendance:batch", json=body, headers=as_door(event_id, "ucl"))
    assert door.status_code == 403
    assert await service.stored_attendance() == 0


async def test_attendance_before_registration_is_pending_emitted_then_recorded(
    service: EventsService,
) -> None:
    event_id = await schedule(service)
    early, other = participant_ids(2)
    records = [attendance_record(event_id, early), attendance_record(event_id, other)]
    answer = await service.client.post(
        "/v1/attendance:batch", json=batch_body(records), headers=as_partner("ucl")
    )
    assert [r["status"] for r in answer.json()["results"]] == ["pending", "pending"]
    await service.settled()
    emitted = await published(service.settings.kafka_bootstrap, service.settings.topics.attendance)
    assert sorted(e["data"]["participant_id"] for e in emitted) == sorted([early, other])
    assert {(e["type"], e["data"]["status"]) for e in emitted} == {(ATTENDANCE_RECORDED, "pending")}

    await register(service, early)

    repo = service.context.repo
    async with asyncio.timeout(60):
        while True:  # the participants consumer applies the registration in its own time
            attendance = await repo.get_attendance(f"{event_id}:{early}")
            if attendance is not None and attendance["status"] == "recorded":
                break
            await asyncio.sleep(0.2)
    assert (await repo.get_attendance(f"{event_id}:{other}") or {}).get("status") == "pending"
    later = await service.client.post(
        "/v1/attendance:batch",
        json=batch_body([attendance_record(await schedule(service), early)]),
        headers=as_partner("ucl"),
    )
    assert later.json()["results"][0]["status"] == "recorded"

    await register(service, early)  # known again: its attendance was released already, nothing more is said
    await register(service, other)
    async with asyncio.timeout(60):
        while (await repo.get_attendance(f"{event_id}:{other}") or {}).get("status") != "recorded":  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    await service.settled()
    emitted = await published(service.settings.kafka_bootstrap, service.settings.topics.attendance)
    released = [e["data"] for e in emitted if e["type"] == ATTENDANCE_RELEASED]
    assert sorted((r["attendance_id"], r["partner_id"]) for r in released) == [
        (f"{event_id}:{pid}", "ucl") for pid in sorted([early, other])
    ]


async def test_a_bulk_attendance_event_built_from_its_stored_document_is_the_one_its_writer_built(
    service: EventsService,
) -> None:
    """A batch outbox scan rebuilds the events of stored documents; they must equal those already sent."""
    ctx = service.context
    claim = Claim("e1", "p1", "c1", to_millis(datetime.now(UTC)))
    doc = attendance_document(ctx, claim, "ucl", Outcome.RECORDED, "b1", to_millis(datetime.now(UTC)))
    batch = Batch("b1", "attendance", 1, to_millis(datetime.now(UTC)), {"x-request-id": "r1"})
    await ctx.repo.attendance.insert_one(dict(doc))
    stored = await ctx.repo.attendance.find_one({"_id": doc["_id"]})
    assert stored is not None

    message_of = batch_message_of(ctx.settings)
    written, rebuilt = message_of(doc, batch), message_of(stored, batch)
    assert rebuilt == written
    assert json.loads(written.value)["data"]["checkin_id"] == "c1"
    assert dict(written.headers)["x-request-id"] == b"r1"


LEGACY = {"programme_id": "resilience", "event_id": "e1", "partner_id": "ucl"}


async def test_attendance_left_pending_by_an_earlier_version_is_released_after_an_upgrade(
    events_settings: EventsSettings,
) -> None:
    """Before AWAITING_FIELD, pending attendance was found by an index on (participant_id, status)."""
    mongo = make_mongo_client(events_settings.mongo_url)
    attendance = mongo[events_settings.mongo_db]["attendance"]
    early, later = participant_ids(2)
    await attendance.create_index([("participant_id", ASCENDING), ("status", ASCENDING)])
    await attendance.insert_many(
        [
            {"_id": f"e1:{early}", "participant_id": early, "status": "pending", **LEGACY},
            {"_id": f"e1:{later}", "participant_id": later, "status": "pending", **LEGACY},
            {"_id": "e1:p-recorded", "participant_id": "p-recorded", "status": "recorded", **LEGACY},
        ]
    )

    async def stored(attendance_id: str) -> dict[str, str]:
        found = await attendance.find_one({"_id": attendance_id}) or {}
        return {k: v for k, v in found.items() if k not in ("_id", *LEGACY) and not k.startswith("outbox")}

    try:
        async with running(events_settings) as service:
            indexes = await attendance.index_information()
            assert "participant_id_1_status_1" not in indexes
            assert [(AWAITING_FIELD, 1)] in [index["key"] for index in indexes.values()]
            await register(service, early)
            async with asyncio.timeout(60):
                while True:  # the participants consumer applies the registration in its own time
                    if (await stored(f"e1:{early}"))["status"] == "recorded":
                        break
                    await asyncio.sleep(0.2)
            assert await stored(f"e1:{early}") == {"participant_id": early, "status": "recorded"}
            assert await stored(f"e1:{later}") == {
                "participant_id": later,
                "status": "pending",
                AWAITING_FIELD: later,
            }
            assert await stored("e1:p-recorded") == {"participant_id": "p-recorded", "status": "recorded"}
    finally:
        await mongo.close()
