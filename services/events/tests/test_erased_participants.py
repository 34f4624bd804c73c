"""An erased participant is refused at once at every events instance, whichever consumed the erasure."""

from __future__ import annotations

import asyncio
import time

import pytest
from testkit.events_bodies import as_door, as_partner, attendance_record, batch_body, checkin_body, event_body
from testkit.events_service import EventsService, published, running

from events.config import EventsSettings
from shared.contracts.envelope import new_event
from shared.contracts.payloads import PARTICIPANT_ERASED, ParticipantErased
from shared.kafka.producer import EventProducer, Outgoing
from shared.qr_tokens import QrClaims, load_private_key, sign

pytestmark = pytest.mark.integration


async def new_event_at(service: EventsService) -> str:
    created = await service.client.post("/v1/events", json=event_body(), headers=as_partner("ucl"))
    assert created.status_code == 201
    event_id: str = created.json()["id"]
    return event_id


async def erase(settings: EventsSettings, participant_id: str) -> None:
    """What registration publishes on `DELETE /v1/participants/{id}`."""
    erased = ParticipantErased(
        participant_id=participant_id, programme_id="resilience", partner_id="ucl", version=2
    )
    event = new_event(source="/registration", type=PARTICIPANT_ERASED, subject=participant_id, data=erased)
    producer = EventProducer(settings.kafka, "erasure-test")
    try:
        await producer.send([Outgoing(settings.topics.participants, participant_id, event)])
    finally:
        await producer.stop()


async def test_an_erased_participant_is_refused_at_every_instance_and_nothing_is_stored_or_published(
    events_settings: EventsSettings, qr_keys: tuple[str, str]
) -> None:
    pid = f"p-erased-{time.time_ns()}"
    token = sign(
        QrClaims(pid=pid, prt="ucl", prg="resilience", exp=int(time.time()) + 3600),
        load_private_key(qr_keys[0]),
    )
    async with running(events_settings) as one, running(events_settings) as two:
        before = await new_event_at(one)
        # Both instances hold the participant as known before the erasure
        for service in (one, two):
            scanned = await service.client.post(
                f"/v1/events/{before}/checkins",
                json=checkin_body(qr_token=token),
                headers=as_door(before, "ucl"),
            )
            assert scanned.status_code in (200, 201), scanned.text
        assert pid in await one.context.repo.known_participants([pid])
        assert pid in await two.context.repo.known_participants([pid])

        await erase(events_settings, pid)
        for _ in range(300):  # one instance of the consumer group records it
            if await one.context.repo.participants.count_documents({"_id": pid, "erased": True}):
                break
            await asyncio.sleep(0.2)

        after = await new_event_at(one)
        for service, other in ((one, "p-other-1"), (two, "p-other-2")):
            by_token = await service.client.post(
                f"/v1/events/{after}/checkins",
                json=checkin_body(qr_token=token),
                headers=as_door(after, "ucl"),
            )
            by_id = await service.client.post(
                f"/v1/events/{after}/checkins", json=checkin_body(pid), headers=as_partner("ucl")
            )
            batch = await service.client.post(
                "/v1/attendance:batch",
                json=batch_body([attendance_record(after, pid), attendance_record(after, other)]),
                headers=as_partner("ucl"),
            )
            for refused in (by_token, by_id):
                assert refused.status_code == 410, refused.text
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.json()["type"] == "/problems/participant-erased"
            results = batch.json()["results"]
            assert (results[0]["status"], results[0]["error"]["status"]) == ("error", 410)
            assert results[0]["error"]["type"] == "/problems/participant-erased"
            assert results[1]["status"] == "pending"
        await one.settled()
        await two.settled()

        stored = await one.context.repo.attendance.find({"participant_id": pid}, {"event_id": 1}).to_list()
    attendance = await published(events_settings.kafka_bootstrap, events_settings.topics.attendance)
    assert [doc["event_id"] for doc in stored] == [before]
    # (at least once: two relays may both publish the one attendance from before the erasure)
    assert {e["data"]["event_id"] for e in attendance if e["data"]["participant_id"] == pid} == {before}
    assert {e["data"]["participant_id"] for e in attendance if e["data"]["event_id"] == after} == {
        "p-other-1",
        "p-other-2",
    }
