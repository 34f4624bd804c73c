"""Webhook deliveries from real Kafka facts to a real HTTP receiver: once each, signed, retried, dead-lettered."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from testkit.builders import participant
from testkit.gateway_kit import (
    ADMIN_KEY,
    CountersPublisher,
    ServerThread,
    bearer,
    free_port,
    gateway_client,
    snapshot,
)
from testkit.webhook_receiver import Facts, Hit, Receiver, verify

from gateway.config import GatewaySettings
from gateway.domain.webhook_notices import notice_of
from gateway.domain.webhooks import Notice, new_delivery
from gateway.handlers.webhook_dispatch import STOPPED_MIDWAY
from gateway.handlers.webhook_sending import GuardedResolver
from shared.contracts.envelope import new_event
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    PARTICIPANT_ERASED,
    PARTICIPANT_REGISTERED,
)
from shared.contracts.webhooks import MILESTONE_REACHED, WEBHOOK_PAYLOADS

pytestmark = pytest.mark.integration
ADMIN = bearer(ADMIN_KEY)
EVERY_TYPE = sorted(WEBHOOK_PAYLOADS)


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[Receiver, str]]:
    partner_receiver = Receiver()
    with ServerThread(partner_receiver.app(), lifespan="off") as server:
        yield partner_receiver, server.url


@pytest.fixture
def settings(gateway_settings: Callable[..., GatewaySettings]) -> GatewaySettings:
    return gateway_settings(
        webhook_allowed_hosts=["127.0.0.1"],
        webhook_retry_schedule_s=[0.3, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        webhook_poll_interval_s=0.1,
        webhook_timeout_s=5.0,
        webhook_lease_s=10.0,
        webhook_milestone_step=10,
    )


@pytest.fixture
async def facts(settings: GatewaySettings) -> AsyncIterator[Facts]:
    producer = Facts(settings.kafka, settings.topics)
    yield producer
    await producer.stop()


async def hook(
    client: httpx.AsyncClient, partner: str, url: str, types: list[str] = EVERY_TYPE
) -> dict[str, Any]:
    created = await client.post(
        "/v1/webhooks", headers=ADMIN, json={"url": url, "event_types": types, "partner_id": partner}
    )
    assert created.status_code == 201, created.text
    endpoint: dict[str, Any] = created.json()
    return endpoint


async def deliveries(
    client: httpx.AsyncClient, endpoint_id: str, status: str | None = None
) -> list[dict[str, Any]]:
    query = {"status": status} if status else {}
    answer = await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=ADMIN, params=query)
    assert answer.status_code == 200, answer.text
    listed: list[dict[str, Any]] = answer.json()["deliveries"]
    return listed


async def settled(
    client: httpx.AsyncClient, endpoint_id: str, count: int, status: str = "delivered"
) -> list[dict[str, Any]]:
    """The endpoint's deliveries once `count` of them have `status` (bounded wait)."""
    async with asyncio.timeout(30):
        while len(found := await deliveries(client, endpoint_id, status)) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    return found


def once_each(hits: list[Hit]) -> dict[str, Hit]:
    counts = Counter(hit.webhook_id for hit in hits)
    assert all(n == 1 for n in counts.values()), counts
    return {hit.webhook_id: hit for hit in hits}


async def test_each_change_reaches_its_own_partners_endpoint_once_signed_and_thin(
    settings: GatewaySettings, facts: Facts, receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    name_a, name_b = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    counters = CountersPublisher(settings)
    await counters.start()
    async with gateway_client(settings) as (_, client):
        a = await hook(client, "pA", f"{url}/hooks/{name_a}")
        b = await hook(client, "pB", f"{url}/hooks/{name_b}", [PARTICIPANT_REGISTERED])
        await facts.registered("p1", "pA", gender="female", ethnicity="asian", nation="wales")
        await facts.attended("p1", "pA")
        await facts.released("p1", "pA")
        await facts.erased("p1", "pA")
        await facts.registered("p2", "pB")
        await counters.publish(snapshot(1, trainees=12))
        await counters.publish(snapshot(2, trainees=12))  # the same figures again: nothing more is told
        # 4 changes of pA, and 5 milestones: trainees 10, students 110, events 40, attendances 140, leaders 10.
        await settled(client, a["id"], 9)
        await settled(client, b["id"], 1)
        await counters.stop()

    hits_a = once_each(partners_receiver.to(name_a))
    hits_b = once_each(partners_receiver.to(name_b))
    for hit in hits_a.values():
        verify(a["secret"], hit)
        assert hit.headers["content-type"].startswith("application/cloudevents+json")
        assert (hit.event["specversion"], hit.event["id"]) == ("1.0", hit.webhook_id)
    by_type = Counter(hit.event["type"] for hit in hits_a.values())
    assert by_type == {
        PARTICIPANT_REGISTERED: 1,
        ATTENDANCE_RECORDED: 1,
        ATTENDANCE_RELEASED: 1,
        PARTICIPANT_ERASED: 1,
        MILESTONE_REACHED: 5,
    }
    facts_of_a = [hit.event["data"] for hit in hits_a.values() if hit.event["type"] != MILESTONE_REACHED]
    assert {data["partner_id"] for data in facts_of_a} == {"pA"}
    registered = next(
        hit.event["data"] for hit in hits_a.values() if hit.event["type"] == PARTICIPANT_REGISTERED
    )
    assert registered == {
        "participant_id": "p1",
        "programme_id": "resilience",
        "partner_id": "pA",
        "version": 1,
        "role": "student",
    }  # no demographic category, no consent: less than the fact on Kafka
    milestones = {
        (h.event["data"]["counter"], h.event["data"]["milestone"])
        for h in hits_a.values()
        if h.event["type"] == MILESTONE_REACHED
    }
    assert milestones == {
        ("trainees_trained", 10),
        ("students_reached", 110),
        ("events_delivered", 40),
        ("attendances", 140),
        ("leaders", 10),
    }
    # pB subscribed to registrations only, and hears of its own participant only.
    [only_b] = hits_b.values()
    verify(b["secret"], only_b)
    assert (only_b.event["type"], only_b.event["data"]["participant_id"]) == (PARTICIPANT_REGISTERED, "p2")


async def test_deliveries_resume_after_errors_and_after_the_receiver_was_down(
    settings: GatewaySettings, facts: Facts, receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    flaky = f"flaky-{uuid.uuid4().hex[:8]}"
    partners_receiver.answer(flaky, 503, 500)
    down_port = free_port()
    came_back = Receiver()
    async with gateway_client(settings) as (_, client):
        flaky_hook = await hook(client, "pA", f"{url}/hooks/{flaky}", [PARTICIPANT_REGISTERED])
        down_hook = await hook(
            client, "pA", f"http://127.0.0.1:{down_port}/hooks/down", [PARTICIPANT_REGISTERED]
        )
        await facts.registered("p1", "pA")

        async with asyncio.timeout(30):  # the receiver at down_port refuses connections twice
            while not (await deliveries(client, down_hook["id"]) or [{}])[0].get("attempts", 0) >= 2:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        [waiting] = await deliveries(client, down_hook["id"], "pending")
        assert "could not connect" in waiting["last_error"]
        with ServerThread(came_back.app(), lifespan="off", port=down_port):
            [delivered] = await settled(client, down_hook["id"], 1)
        [flaky_delivery] = await settled(client, flaky_hook["id"], 1)
        detail = await client.get(
            f"/v1/webhooks/{flaky_hook['id']}/deliveries/{flaky_delivery['id']}", headers=ADMIN
        )

    assert [a["status_code"] for a in detail.json()["attempt_log"]] == [503, 500, 204]
    hits = partners_receiver.to(flaky)
    assert len(hits) == 3
    assert len({hit.webhook_id for hit in hits}) == 1  # the same webhook-id on every attempt
    for hit in hits:
        verify(flaky_hook["secret"], hit)
    [arrived] = came_back.to("down")
    verify(down_hook["secret"], arrived)
    assert delivered["attempts"] >= 3


async def test_a_delivery_failing_its_whole_schedule_is_dead_lettered_visible_and_redeliverable(
    gateway_settings: Callable[..., GatewaySettings], receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    settings = gateway_settings(
        webhook_allowed_hosts=["127.0.0.1"],
        webhook_retry_schedule_s=[0.2, 0.2],
        webhook_poll_interval_s=0.1,
        webhook_timeout_s=2.0,
        webhook_lease_s=5.0,
    )
    dead, gone = f"dead-{uuid.uuid4().hex[:8]}", f"gone-{uuid.uuid4().hex[:8]}"
    partners_receiver.answer(dead, 500, 500, 500)
    partners_receiver.answer(gone, 410)
    facts = Facts(settings.kafka, settings.topics)
    async with gateway_client(settings) as (_, client):
        dead_hook = await hook(client, "pA", f"{url}/hooks/{dead}", [PARTICIPANT_REGISTERED])
        gone_hook = await hook(client, "pA", f"{url}/hooks/{gone}", [PARTICIPANT_REGISTERED])
        await facts.registered("p1", "pA")
        await facts.stop()

        [failed] = await settled(client, dead_hook["id"], 1, "failed")
        assert (failed["attempts"], failed["last_status_code"], failed["last_error"]) == (3, 500, "HTTP 500")
        assert failed["next_attempt_at"] is None
        assert failed["finished_at"] is not None
        redelivered = await client.post(
            f"/v1/webhooks/{dead_hook['id']}/deliveries/{failed['id']}/redeliver", headers=ADMIN
        )
        assert redelivered.status_code == 202, redelivered.text
        [delivered] = await settled(client, dead_hook["id"], 1)
        assert delivered["attempts"] == 4

        # A 410 Gone dead-letters at once and disables the endpoint (Standard Webhooks).
        [gone_delivery] = await settled(client, gone_hook["id"], 1, "failed")
        endpoint = (await client.get(f"/v1/webhooks/{gone_hook['id']}", headers=ADMIN)).json()

    assert gone_delivery["attempts"] == 1
    assert (endpoint["enabled"], endpoint["disabled_reason"]) == (False, "the endpoint answered 410 Gone")
    hits = partners_receiver.to(dead)
    assert len(hits) == 4
    assert len({hit.webhook_id for hit in hits}) == 1


async def test_a_hanging_endpoint_does_not_hold_back_another(
    settings: GatewaySettings, facts: Facts, receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    hanging, quick = f"hang-{uuid.uuid4().hex[:8]}", f"quick-{uuid.uuid4().hex[:8]}"
    partners_receiver.hold(hanging)
    async with gateway_client(settings) as (_, client):
        await hook(client, "pA", f"{url}/hooks/{hanging}", [PARTICIPANT_REGISTERED])
        await hook(client, "pA", f"{url}/hooks/{quick}", [PARTICIPANT_REGISTERED])
        for n in range(8):
            await facts.registered(f"p{n}", "pA")
        await partners_receiver.wait_for(quick, 8)  # while every attempt at the other hangs
        assert partners_receiver.to(hanging) == []
        partners_receiver.release(hanging)
        await partners_receiver.wait_for(hanging, 8)


async def test_two_gateway_instances_deliver_each_change_once(
    gateway_settings: Callable[..., GatewaySettings], receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    settings = gateway_settings(
        topic_partitions=2,
        webhook_allowed_hosts=["127.0.0.1"],
        webhook_poll_interval_s=0.05,
        webhook_milestone_step=10,
    )
    name = f"twice-{uuid.uuid4().hex[:8]}"
    facts = Facts(settings.kafka, settings.topics)
    async with gateway_client(settings) as (one, client), gateway_client(settings) as (other, _):
        endpoint = await hook(client, "pA", f"{url}/hooks/{name}")
        for n in range(15):
            await facts.registered(f"p{n}", "pA")
            await facts.attended(f"p{n}", "pA")
        await facts.stop()
        await settled(client, endpoint["id"], 30)
        await asyncio.sleep(1)  # time enough for a second attempt at anything, were one made
        instances = {
            one.state.context.webhooks.dispatcher.instance,
            other.state.context.webhooks.dispatcher.instance,
        }

    hits = partners_receiver.to(name)
    assert len(once_each(hits)) == 30
    assert len(instances) == 2


async def test_an_attempt_whose_sender_stopped_midway_is_made_again_after_its_lease(
    settings: GatewaySettings, receiver: tuple[Receiver, str]
) -> None:
    partners_receiver, url = receiver
    name = f"orphan-{uuid.uuid4().hex[:8]}"
    async with gateway_client(settings) as (app, client):
        endpoint = await hook(client, "pA", f"{url}/hooks/{name}", [PARTICIPANT_REGISTERED])
        stores = app.state.context.webhooks
        stored = await stores.endpoints.by_id(endpoint["id"])
        notice = registered_notice()
        delivery = new_delivery(stored, notice, datetime.now(UTC))
        # Another instance claimed the first attempt with a short lease, then died before recording it.
        await stores.deliveries.insert_new([delivery])
        assert await stores.deliveries.claim(delivery, "dead-instance", datetime.now(UTC), 0.5) is not None
        await asyncio.sleep(0.6)
        stores.dispatcher.wake()
        [delivered] = await settled(client, endpoint["id"], 1)
        detail = await client.get(
            f"/v1/webhooks/{endpoint['id']}/deliveries/{delivered['id']}", headers=ADMIN
        )

    [made] = partners_receiver.to(name)
    verify(endpoint["secret"], made)
    assert [(a["number"], a["status_code"], a["error"]) for a in detail.json()["attempt_log"]] == [
        (1, None, STOPPED_MIDWAY),
        (2, 204, None),
    ]


async def test_names_resolving_to_addresses_inside_are_refused_when_connecting() -> None:
    refused = GuardedResolver(allowed_hosts=[])
    with pytest.raises(OSError, match="may not reach"):
        await refused.resolve("localhost", 443)
    allowed = GuardedResolver(allowed_hosts=["localhost"])
    assert {r["host"] for r in await allowed.resolve("localhost", 443)} <= {"127.0.0.1", "::1"}
    await refused.close()
    await allowed.close()


def registered_notice() -> Notice:
    fact = participant("p1", "pA")
    return notice_of(new_event(source="/tests", type=PARTICIPANT_REGISTERED, subject="p1", data=fact), fact)
