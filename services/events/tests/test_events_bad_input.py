"""Bad input is refused as problem details (4xx) and leaves nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from testkit.events_bodies import (
    as_admin,
    as_partner,
    attendance_record,
    batch_body,
    checkin_body,
    event_body,
)
from testkit.events_service import EventsService

pytestmark = pytest.mark.integration

BAD_EVENTS = {
    "unknown-field": event_body(owner="someone-else"),
    "wrong-kind": event_body(kind="party"),
    "wrong-nation": event_body(nation="france"),
    "year-out-of-range": event_body(starts_at="1999-12-31T10:00:00+00:00"),
    "naive-datetime": event_body(starts_at="2026-03-01T10:00:00"),
    "ends-before-start": event_body(
        starts_at="2026-03-01T12:00:00+00:00", ends_at="2026-03-01T10:00:00+00:00"
    ),
    "capacity-zero": event_body(capacity=0),
    "title-too-long": event_body(title="x" * 201),
    "capacity-a-string": event_body(capacity="lots"),
}


@pytest.mark.parametrize("body", BAD_EVENTS.values(), ids=BAD_EVENTS.keys())
async def test_bad_events_are_refused(service: EventsService, body: dict[str, Any]) -> None:
    answer = await service.client.post("/v1/events", json=body, headers=as_partner("ucl"))

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert await service.db["events"].count_documents({}) == 0


BAD_CHECKINS = {
    "unknown-field": checkin_body("p-1", extra=1),
    "both-ways": checkin_body("p-1", qr_token="abc.def"),
    "neither-way": checkin_body(),
    "not-a-uuid": checkin_body("p-1", checkin_id="123"),
    "future": checkin_body("p-1", checked_in_at="2099-01-01T00:00:00+00:00"),
    "last-century": checkin_body("p-1", checked_in_at="1999-12-31T23:00:00+00:00"),
    "id-with-colon": checkin_body("p:1"),
}


@pytest.mark.parametrize("body", BAD_CHECKINS.values(), ids=BAD_CHECKINS.keys())
async def test_bad_checkins_are_refused(service: EventsService, body: dict[str, Any]) -> None:
    event = await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))

    answer = await service.client.post(
        f"/v1/events/{event.json()['id']}/checkins", json=body, headers=as_partner("ucl")
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert await service.stored_attendance() == 0


async def test_malformed_json_is_a_400_problem(service: EventsService) -> None:
    headers = {**as_partner("ucl"), "content-type": "application/json"}
    for path in ("/v1/events", "/v1/attendance:batch"):
        answer = await service.client.post(path, content=b'{"records": [', headers=headers)
        assert answer.status_code == 400
        assert answer.json()["type"] == "/problems/malformed-json"


async def test_a_bad_batch_envelope_is_refused_whole(service: EventsService) -> None:
    event = (await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))).json()
    record = attendance_record(event["id"], "p-1")

    extra = await service.client.post(
        "/v1/attendance:batch", json={**batch_body([record]), "mode": "fast"}, headers=as_partner("ucl")
    )
    not_a_list = await service.client.post(
        "/v1/attendance:batch", json={"records": record}, headers=as_partner("ucl")
    )
    empty = await service.client.post("/v1/attendance:batch", json=batch_body([]), headers=as_partner("ucl"))

    assert [extra.status_code, not_a_list.status_code, empty.status_code] == [422, 422, 422]
    assert await service.stored_attendance() == 0


async def test_an_oversize_batch_is_refused_whole(service: EventsService) -> None:
    event = (await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))).json()
    records = [attendance_record(event["id"], f"p-{n}") for n in range(10_001)]

    answer = await service.client.post(
        "/v1/attendance:batch", json=batch_body(records), headers=as_partner("ucl")
    )

    assert answer.status_code == 413
    assert answer.json()["type"] == "/problems/batch-too-large"
    assert await service.stored_attendance() == 0


async def test_a_method_a_path_does_not_take_is_a_405_naming_every_method_it_takes(
    service: EventsService,
) -> None:
    listing = await service.client.put("/v1/events", headers=as_admin())
    one = await service.client.post("/v1/events/some-id", headers=as_admin())

    assert listing.status_code == one.status_code == 405
    assert listing.headers["allow"] == "GET, POST"
    assert one.headers["allow"] == "GET, PATCH"
    assert listing.headers["content-type"] == "application/problem+json"
    assert listing.json()["type"] == "/problems/method-not-allowed"
