"""Scheduling, reading, listing, changing and cancelling programme events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from testkit.events_bodies import as_admin, as_door, as_partner, event_body
from testkit.events_service import EventsService
from testkit.kafka_reading import read_to_end

pytestmark = pytest.mark.integration


async def test_a_partner_schedules_an_event_that_is_announced(service: EventsService) -> None:
    created = await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))

    assert created.status_code == 201
    event = created.json()
    assert event["status"] == "scheduled"
    assert event["partner_id"] == "ucl"
    assert event["programme_id"] == "resilience"
    # The gateway learns an event's owner and status with an admin principal before issuing a door key.
    read = await service.client.get(f"/v1/events/{event['id']}", headers=as_admin())
    assert read.status_code == 200
    assert (read.json()["partner_id"], read.json()["status"]) == ("ucl", "scheduled")

    await service.settled()
    [announced] = await read_to_end(service.settings.kafka_bootstrap, service.settings.topics.events)
    assert announced["type"] == "pulse.event.scheduled.v1"
    assert announced["data"]["event_id"] == event["id"]
    assert announced["data"]["version"] == 1


async def test_only_the_owner_changes_and_cancels_an_event(service: EventsService) -> None:
    event = (await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))).json()
    path = f"/v1/events/{event['id']}"

    other = await service.client.patch(path, json={"title": "Hijacked"}, headers=as_partner("teesside"))
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"
    door = await service.client.patch(path, json={"title": "Door"}, headers=as_door(event["id"], "ucl"))
    assert door.status_code == 403

    renamed = await service.client.patch(path, json={"title": "Flood training II"}, headers=as_partner("ucl"))
    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["version"]) == ("Flood training II", 2)
    inverted = await service.client.patch(
        path, json={"ends_at": event["starts_at"]}, headers=as_partner("ucl")
    )
    assert inverted.status_code == 422
    cancelled = await service.client.patch(path, json={"status": "cancelled"}, headers=as_admin())
    assert cancelled.json()["status"] == "cancelled"
    again = await service.client.patch(path, json={"title": "Back"}, headers=as_partner("ucl"))
    assert again.status_code == 409

    await service.settled()
    announced = await read_to_end(service.settings.kafka_bootstrap, service.settings.topics.events)
    # At-least-once: a change made while the relay was sending may resend earlier versions; versions order them.
    assert sorted({(e["data"]["version"], e["type"]) for e in announced}) == [
        (1, "pulse.event.scheduled.v1"),
        (2, "pulse.event.updated.v1"),
        (3, "pulse.event.cancelled.v1"),
    ]
    assert announced[-1]["data"]["title"] == "Flood training II"


async def test_listing_filters_and_pages_through_every_event_once(service: EventsService) -> None:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for n in range(7):
        starts = start + timedelta(days=n // 2)  # pairs share a start time: the cursor must break ties
        body = event_body(
            title=f"Event {n}",
            kind="outreach" if n % 2 else "training",
            starts_at=starts.isoformat(),
            ends_at=(starts + timedelta(hours=1)).isoformat(),
            nation="wales" if n == 6 else "england",
        )
        partner = "ucl" if n < 5 else "teesside"
        assert (
            await service.client.post("/v1/events", json=body, headers=as_partner(partner))
        ).status_code == 201

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = (await service.client.get("/v1/events", params=params, headers=as_partner("teesside"))).json()
        seen.extend(item["title"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"Event {n}" for n in range(7)]  # each exactly once across pages
    days = [int(title.removeprefix("Event ")) // 2 for title in seen]
    assert days == sorted(days)  # by start time; ties in id order

    async def titles(**params: str) -> list[str]:
        answer = await service.client.get("/v1/events", params=params, headers=as_admin())
        assert answer.status_code == 200
        return sorted(item["title"] for item in answer.json()["items"])

    assert await titles(kind="outreach") == ["Event 1", "Event 3", "Event 5"]
    assert await titles(partner_id="teesside") == ["Event 5", "Event 6"]
    assert await titles(nation="wales") == ["Event 6"]
    window = {"from": (start + timedelta(days=1)).isoformat(), "to": (start + timedelta(days=2)).isoformat()}
    assert await titles(**window) == ["Event 2", "Event 3"]


async def test_reading_events_needs_a_key_and_a_door_key_sees_only_its_event(service: EventsService) -> None:
    event = (await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))).json()

    assert (await service.client.get("/v1/events")).status_code == 401
    assert (
        await service.client.get(f"/v1/events/{event['id']}", headers=as_door(event["id"], "ucl"))
    ).status_code == 200
    assert (
        await service.client.get(f"/v1/events/{event['id']}", headers=as_door("other", "ucl"))
    ).status_code == 403
    assert (await service.client.get("/v1/events/nope", headers=as_admin())).status_code == 404
    # Not a cursor's alphabet: refused by the declared pattern; a well-formed one never issued: 400.
    assert (
        await service.client.get("/v1/events", params={"cursor": "garbage!"}, headers=as_admin())
    ).status_code == 422
    assert (
        await service.client.get("/v1/events", params={"cursor": "Z2FyYmFnZQ"}, headers=as_admin())
    ).status_code == 400


async def test_an_admin_schedules_on_behalf_of_a_named_partner(service: EventsService) -> None:
    unnamed = await service.client.post("/v1/events", json=event_body(), headers=as_admin())
    named = await service.client.post("/v1/events", json=event_body(partner_id="hw"), headers=as_admin())
    posing = await service.client.post(
        "/v1/events", json=event_body(partner_id="hw"), headers=as_partner("ucl")
    )

    assert unnamed.status_code == 422
    assert (named.status_code, named.json()["partner_id"]) == (201, "hw")
    assert posing.status_code == 403
