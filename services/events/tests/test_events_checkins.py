"""Door check-ins: re-scans and replays counted once, QR tokens verified offline, keys confined to their event."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from testkit.events_bodies import (
    as_admin,
    as_door,
    as_partner,
    attendance_record,
    checkin_body,
    event_body,
    participant_ids,
)
from testkit.events_service import EventsService, running
from testkit.kafka_reading import read_to_end

from events.config import EventsSettings
from shared.qr_tokens import QrClaims, generate_keypair, load_private_key, sign

pytestmark = pytest.mark.integration


async def new_event(service: EventsService, partner_id: str = "ucl") -> str:
    created = await service.client.post("/v1/events", json=event_body(), headers=as_partner(partner_id))
    assert created.status_code == 201
    event_id: str = created.json()["id"]
    return event_id


def qr_token(
    private_key: str, participant_id: str, *, programme: str = "resilience", ttl_s: int = 3600
) -> str:
    claims = QrClaims(pid=participant_id, prt="ucl", prg=programme, exp=int(time.time()) + ttl_s)
    return sign(claims, load_private_key(private_key))


async def test_a_rescan_and_a_replay_answer_the_first_checkin_and_count_once(service: EventsService) -> None:
    event_id = await new_event(service)
    [pid] = participant_ids(1)
    path = f"/v1/events/{event_id}/checkins"
    first_body = checkin_body(pid)

    first = await service.client.post(path, json=first_body, headers=as_door(event_id, "ucl"))
    rescan = await service.client.post(path, json=checkin_body(pid), headers=as_partner("ucl"))
    replay = await service.client.post(path, json=first_body, headers=as_admin())

    assert first.status_code == 201
    assert first.json()["checkin_id"] == first_body["checkin_id"]
    assert first.json()["status"] == "pending"  # registration has not told us about this participant yet
    assert (rescan.status_code, rescan.json()) == (200, first.json())
    assert (replay.status_code, replay.json()) == (200, first.json())
    await service.settled()
    recorded = await read_to_end(service.settings.kafka_bootstrap, service.settings.topics.attendance)
    assert [(e["data"]["participant_id"], e["data"]["partner_id"]) for e in recorded] == [(pid, "ucl")]


async def test_a_checkin_id_reused_for_someone_else_is_a_conflict(service: EventsService) -> None:
    event_id = await new_event(service)
    first, second = participant_ids(2)
    body = checkin_body(first)
    path = f"/v1/events/{event_id}/checkins"
    assert (await service.client.post(path, json=body, headers=as_partner("ucl"))).status_code == 201

    reused = await service.client.post(
        path, json={**body, "participant_id": second}, headers=as_partner("ucl")
    )

    assert reused.status_code == 409
    assert reused.headers["content-type"] == "application/problem+json"
    assert await service.stored_attendance() == 1


async def test_checkins_are_confined_to_the_callers_events(service: EventsService) -> None:
    mine, theirs = await new_event(service, "ucl"), await new_event(service, "teesside")
    [pid] = participant_ids(1)

    async def status(event_id: str, headers: dict[str, str]) -> int:
        answer = await service.client.post(
            f"/v1/events/{event_id}/checkins", json=checkin_body(pid), headers=headers
        )
        return answer.status_code

    assert await status(theirs, as_partner("ucl")) == 403
    assert await status(theirs, as_door(mine, "ucl")) == 403  # a door key for another event
    assert await status(mine, {}) == 401
    assert await status("no-such-event", as_admin()) == 404
    assert await service.stored_attendance() == 0
    assert await status(mine, as_door(mine, "ucl")) == 201


async def test_a_cancelled_event_refuses_checkins(service: EventsService) -> None:
    event_id = await new_event(service)
    await service.client.patch(
        f"/v1/events/{event_id}", json={"status": "cancelled"}, headers=as_partner("ucl")
    )

    refused = await service.client.post(
        f"/v1/events/{event_id}/checkins", json=checkin_body("p-1"), headers=as_partner("ucl")
    )

    assert refused.status_code == 409
    assert await service.stored_attendance() == 0


async def test_a_cancellation_refuses_checkins_at_once_where_stored_and_on_other_instances_within_the_hold(
    events_settings: EventsSettings,
) -> None:
    hold_s = 0.3
    settings = events_settings.model_copy(update={"event_hold_s": hold_s})
    async with running(settings) as first, running(settings) as second:
        event_id = await new_event(first)
        path = f"/v1/events/{event_id}/checkins"
        door = as_partner("ucl")
        for instance, participant_id in ((first, "p-0"), (second, "p-1")):  # each holds the event now
            checked_in = await instance.client.post(path, json=checkin_body(participant_id), headers=door)
            assert checked_in.status_code == 201

        cancelled = await first.client.patch(
            f"/v1/events/{event_id}", json={"status": "cancelled"}, headers=door
        )
        assert cancelled.status_code == 200
        stored_at = time.monotonic()
        assert (await first.client.post(path, json=checkin_body("p-2"), headers=door)).status_code == 409
        participant = 3
        while (
            await second.client.post(path, json=checkin_body(f"p-{participant}"), headers=door)
        ).status_code != 409:
            assert time.monotonic() - stored_at < hold_s + 1, "check-ins still accepted past the hold"
            participant += 1
            await asyncio.sleep(0.02)


async def test_a_signed_qr_token_checks_in_and_proves_the_participant(
    service: EventsService, qr_keys: tuple[str, str]
) -> None:
    event_id = await new_event(service)
    [pid] = participant_ids(1)
    path = f"/v1/events/{event_id}/checkins"

    scanned = await service.client.post(
        path, json=checkin_body(qr_token=qr_token(qr_keys[0], pid)), headers=as_door(event_id, "ucl")
    )

    assert scanned.status_code == 201
    assert (scanned.json()["participant_id"], scanned.json()["status"]) == (pid, "recorded")


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda key, pid: qr_token(key, pid, ttl_s=-60), id="expired"),
        pytest.param(lambda key, pid: qr_token(key, pid).replace(".", "x.", 1), id="tampered-payload"),
        pytest.param(lambda key, pid: qr_token(key, pid)[:-3] + "AAA", id="tampered-signature"),
        pytest.param(lambda key, pid: qr_token(key, pid, programme="another"), id="other-programme"),
        pytest.param(lambda key, pid: qr_token(load_other_key(), pid), id="signed-by-another-key"),
        pytest.param(lambda key, pid: "not-a-token", id="garbage"),
    ],
)
async def test_bad_qr_tokens_are_refused_and_nothing_is_stored(
    service: EventsService, qr_keys: tuple[str, str], make_token: object
) -> None:
    event_id = await new_event(service)
    token = make_token(qr_keys[0], f"p-{uuid.uuid4().hex[:8]}")  # type: ignore[operator]

    refused = await service.client.post(
        f"/v1/events/{event_id}/checkins", json=checkin_body(qr_token=token), headers=as_door(event_id, "ucl")
    )

    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/invalid-qr-token"
    assert await service.stored_attendance() == 0


def load_other_key() -> str:
    return generate_keypair()[0]


async def test_the_checkin_count_is_every_attendance_of_that_event_and_only_its_devices_see_it(
    service: EventsService,
) -> None:
    event_id, other_event = await new_event(service), await new_event(service)
    door, batch = participant_ids(2), participant_ids(3)
    checkins = f"/v1/events/{event_id}/checkins"
    for pid in [*door, door[0]]:  # the re-scan is a duplicate, not a second attendance
        answer = await service.client.post(checkins, json=checkin_body(pid), headers=as_door(event_id, "ucl"))
        assert answer.status_code in (200, 201)
    records = [attendance_record(event_id, pid) for pid in batch] + [attendance_record(other_event, door[0])]
    uploaded = await service.client.post(
        "/v1/attendance:batch", json={"records": records}, headers=as_partner("ucl")
    )
    assert uploaded.status_code == 200
    path = f"/v1/events/{event_id}/checkins/count"

    counted = await service.client.get(path, headers=as_door(event_id, "ucl"))

    assert (counted.status_code, counted.json()) == (200, {"event_id": event_id, "checked_in": 5})
    assert (await service.client.get(path, headers=as_partner("ucl"))).json()["checked_in"] == 5
    assert (await service.client.get(path, headers=as_door(other_event, "ucl"))).status_code == 403
    assert (await service.client.get(path, headers=as_partner("teesside"))).status_code == 403
    assert (await service.client.get(path, headers={})).status_code == 401
    missing = await service.client.get("/v1/events/no-such-event/checkins/count", headers=as_admin())
    assert missing.status_code == 404
