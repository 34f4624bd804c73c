"""Partners' names on `pulse.partners`: published when created, renamed, and for partners stored before."""

from __future__ import annotations

import asyncio

import httpx
from testkit.kafka_reading import read_exactly
from testkit.registration_bodies import admin_headers, partner_headers
from testkit.registration_harness import database, new_partner, running

from registration.config import RegistrationSettings
from shared.contracts.payloads import PARTNER_REGISTERED, PARTNER_RENAMED


async def drained(settings: RegistrationSettings) -> None:
    """Wait until the relay has published every partner's pending facts."""
    async with database(settings) as db, asyncio.timeout(30):
        while await db["partners"].count_documents({"outbox_pending": True}):  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def partner_facts(settings: RegistrationSettings, expected: int) -> list[dict[str, object]]:
    await drained(settings)
    events = await read_exactly(settings.kafka_bootstrap, settings.topics.partners, expected)
    return [{"type": e["type"], "id": e["id"], **e["data"]} for e in events]


async def test_a_partner_is_published_when_created_and_again_when_renamed(
    api: httpx.AsyncClient, settings: RegistrationSettings
) -> None:
    partner_id = await new_partner(api, "Teesside Uni")
    path = f"/v1/partners/{partner_id}"
    renamed = await api.patch(path, json={"name": "Teesside University"}, headers=admin_headers())
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Teesside University"
    # The same name again changes nothing and publishes nothing.
    assert (await api.patch(path, json={"name": "Teesside University"}, headers=admin_headers())).is_success
    refused = await api.patch(path, json={"name": "Mine now"}, headers=partner_headers(partner_id))
    assert refused.status_code == 403
    assert (
        await api.patch("/v1/partners/prt_nobody", json={"name": "X"}, headers=admin_headers())
    ).status_code == 404

    facts = await partner_facts(settings, 2)
    common = {"partner_id": partner_id, "programme_id": settings.programme_id}
    assert facts == [
        {
            "type": PARTNER_REGISTERED,
            "id": f"{partner_id}.v1",
            **common,
            "name": "Teesside Uni",
            "version": 1,
        },
        {
            "type": PARTNER_RENAMED,
            "id": f"{partner_id}.v2",
            **common,
            "name": "Teesside University",
            "version": 2,
        },
    ]
    assert (await api.get(path, headers=admin_headers())).json()["name"] == "Teesside University"


async def test_partners_stored_before_partner_facts_are_published_once_at_start_up(
    settings: RegistrationSettings,
) -> None:
    async with database(settings) as db:  # as an earlier version stored it: no version, no outbox
        await db["partners"].insert_one(
            {"_id": "prt_old", "name": "Heriot-Watt", "programme_id": "resilience", "created_at": None}
        )
    async with running(settings):
        await drained(settings)
    async with running(settings):  # a second start finds nothing left to announce
        await drained(settings)
    [fact] = await partner_facts(settings, 1)
    assert fact == {
        "type": PARTNER_REGISTERED,
        "id": "prt_old.v1",
        "partner_id": "prt_old",
        "programme_id": "resilience",
        "name": "Heriot-Watt",
        "version": 1,
    }
