"""Read-back: GET /v1/attendance lists what was recorded at a partner's events, and why some still wait."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from testkit.events_bodies import (
    as_admin,
    as_door,
    as_partner,
    attendance_record,
    batch_body,
    event_body,
    participant_ids,
    recent,
)
from testkit.events_service import EventsService, register

pytestmark = pytest.mark.integration


async def schedule(service: EventsService, partner_id: str) -> str:
    created = await service.client.post("/v1/events", json=event_body(), headers=as_partner(partner_id))
    assert created.status_code == 201
    event_id: str = created.json()["id"]
    return event_id


async def listing(service: EventsService, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Every page, following next_cursor two items at a time."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(50):
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = await service.client.get("/v1/attendance", params=query, headers=headers)
        assert page.status_code == 200, page.text
        items.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the listing did not end")


def seen(items: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(i["event_id"], i["participant_id"], i["checkin_id"], i["status"]) for i in items}


async def test_a_partner_reads_back_exactly_the_attendance_at_its_events_and_why_some_wait(
    service: EventsService,
) -> None:
    ucl_one, ucl_two, hw_one = (
        await schedule(service, "ucl"),
        await schedule(service, "ucl"),
        await schedule(service, "hw"),
    )
    known, unknown = participant_ids(2)
    await register(service, known)
    async with asyncio.timeout(60):
        while await service.context.participants.known([known]) != {known}:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    ucl_records = [
        attendance_record(ucl_one, known, checked_in_at=recent(30)),
        attendance_record(ucl_one, unknown, checked_in_at=recent(20)),
        attendance_record(ucl_two, known, checked_in_at=recent(10)),
    ]
    hw_records = [attendance_record(hw_one, known)]
    for records, partner in ((ucl_records, "ucl"), (hw_records, "hw")):
        posted = await service.client.post(
            "/v1/attendance:batch", json=batch_body(records), headers=as_partner(partner)
        )
        assert posted.status_code == 200, posted.text
    expected_ucl = {
        (
            r["event_id"],
            r["participant_id"],
            r["checkin_id"],
            "pending" if r is ucl_records[1] else "recorded",
        )
        for r in ucl_records
    }

    ucl = await listing(service, as_partner("ucl"))
    pending = await listing(service, as_partner("ucl"), status="pending")
    one_event = await listing(service, as_partner("ucl"), event_id=ucl_two)
    window = await listing(service, as_partner("ucl"), **{"from": recent(25), "to": recent(15)})
    hw_asking_for_ucl = await listing(service, as_partner("hw"), event_id=ucl_one)
    admin = await listing(service, as_admin())
    door = await service.client.get("/v1/attendance", headers=as_door(ucl_one, "ucl"))

    assert seen(ucl) == expected_ucl
    assert len(ucl) == 3  # each once across the pages
    assert {i["partner_id"] for i in ucl} == {"ucl"}
    [waiting] = pending
    assert waiting["participant_id"] == unknown
    assert waiting["waiting"]["reason"] == "participant-unknown"
    assert all(i["waiting"] is None for i in ucl if i["status"] == "recorded")
    assert {i["event_id"] for i in one_event} == {ucl_two}
    assert [i["participant_id"] for i in window] == [unknown]
    assert hw_asking_for_ucl == []
    assert seen(admin) >= expected_ucl | {(hw_one, known, hw_records[0]["checkin_id"], "recorded")}
    assert door.status_code == 403
