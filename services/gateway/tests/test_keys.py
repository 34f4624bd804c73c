"""Issuing, listing and revoking keys; check-in key expiry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client

from gateway.config import GatewaySettings

ADMIN = bearer(ADMIN_KEY)


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
async def gateway(
    gateway_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async with gateway_client(gateway_settings(auth_failure_burst=10_000)) as running:
        yield running


async def partner_key(client: httpx.AsyncClient, partner: str) -> dict[str, str]:
    response = await client.post(f"/v1/partners/{partner}/keys", headers=ADMIN, json={"label": "crm"})
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


async def test_a_partner_key_is_shown_once_and_stored_only_as_a_hash(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = gateway
    created = await partner_key(client, "pA")
    assert created["key"].startswith("pk_")
    assert created["scopes"] == ["partner"]
    assert created["partner_id"] == "pA"
    stored = await app.state.context.keys.by_id(created["id"])
    assert stored.hash != created["key"]
    assert created["key"] not in str(stored)
    listed = (await client.get("/v1/keys", headers=ADMIN)).json()["keys"]
    entry = next(k for k in listed if k["id"] == created["id"])
    assert "key" not in entry
    assert entry["label"] == "crm"


async def test_keys_are_issued_only_for_existing_partners_and_by_admins(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    assert (await client.post("/v1/partners/nobody/keys", headers=ADMIN)).status_code == 404
    a = await partner_key(client, "pA")
    assert (await client.post("/v1/partners/pA/keys", headers=bearer(a["key"]))).status_code == 403
    assert (await client.post("/v1/partners/pA/keys")).status_code == 401
    refused = await client.post("/v1/partners/pA/keys", headers=ADMIN, json={"scopes": ["admin"]})
    assert refused.status_code == 422


async def test_checkin_keys_belong_to_the_event_owner(gateway: tuple[FastAPI, httpx.AsyncClient]) -> None:
    _, client = gateway
    a, b = await partner_key(client, "pA"), await partner_key(client, "pB")
    body = {"expires_at": in_days(1), "label": "door 2"}
    created = await client.post("/v1/events/eA1/checkin-keys", headers=bearer(a["key"]), json=body)
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == ["checkin"]
    assert created.json()["event_id"] == "eA1"
    not_theirs = await client.post("/v1/events/eA1/checkin-keys", headers=bearer(b["key"]), json=body)
    assert not_theirs.status_code == 404
    by_admin = await client.post("/v1/events/eB1/checkin-keys", headers=ADMIN, json=body)
    assert by_admin.json()["partner_id"] == "pB"
    door = created.json()["key"]
    assert (
        await client.post("/v1/events/eA1/checkin-keys", headers=bearer(door), json=body)
    ).status_code == 403
    assert (await client.post("/v1/events/nope/checkin-keys", headers=ADMIN, json=body)).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"expires_at": in_days(-1)},
        {"expires_at": in_days(31)},
        {"expires_at": "2030-01-01T00:00:00"},  # no zone
        {},
        {"expires_at": in_days(1), "scope": "admin"},
        {"expires_at": in_days(1), "label": "x" * 101},
    ],
)
async def test_checkin_key_requests_are_validated(
    gateway: tuple[FastAPI, httpx.AsyncClient], body: dict[str, str]
) -> None:
    _, client = gateway
    response = await client.post("/v1/events/eA1/checkin-keys", headers=ADMIN, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_partners_list_and_revoke_only_their_own_keys(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    a, b = await partner_key(client, "pA"), await partner_key(client, "pB")
    door = (
        await client.post(
            "/v1/events/eA1/checkin-keys", headers=bearer(a["key"]), json={"expires_at": in_days(2)}
        )
    ).json()
    seen_by_a = {k["id"] for k in (await client.get("/v1/keys", headers=bearer(a["key"]))).json()["keys"]}
    assert {a["id"], door["id"]} <= seen_by_a
    assert b["id"] not in seen_by_a
    seen_by_admin = {k["id"] for k in (await client.get("/v1/keys", headers=ADMIN)).json()["keys"]}
    assert {a["id"], b["id"], door["id"]} <= seen_by_admin
    assert (await client.get("/v1/keys", headers=bearer(door["key"]))).status_code == 403
    assert (await client.delete(f"/v1/keys/{a['id']}", headers=bearer(b["key"]))).status_code == 404
    assert (await client.delete(f"/v1/keys/{door['id']}", headers=bearer(a["key"]))).status_code == 204


async def test_a_revoked_key_stops_working_at_once(gateway: tuple[FastAPI, httpx.AsyncClient]) -> None:
    _, client = gateway
    a = await partner_key(client, "pA")
    assert (await client.get("/v1/events", headers=bearer(a["key"]))).status_code == 200
    assert (await client.delete(f"/v1/keys/{a['id']}", headers=bearer(a["key"]))).status_code == 204
    assert (await client.get("/v1/events", headers=bearer(a["key"]))).status_code == 401
    assert (await client.delete(f"/v1/keys/{a['id']}", headers=ADMIN)).status_code == 204  # again: harmless
    listed = (await client.get("/v1/keys", headers=ADMIN)).json()["keys"]
    assert next(k for k in listed if k["id"] == a["id"])["revoked_at"] is not None


async def test_a_checkin_key_stops_working_when_it_expires(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    expires_at = datetime.now(UTC) + timedelta(seconds=2)
    door = (
        await client.post(
            "/v1/events/eA1/checkin-keys", headers=ADMIN, json={"expires_at": expires_at.isoformat()}
        )
    ).json()
    checkin = {"participant_id": "p1"}
    assert (
        await client.post("/v1/events/eA1/checkins", headers=bearer(door["key"]), json=checkin)
    ).status_code == 200
    # Its expiry passes while this gateway holds the key from its last look-up.
    await asyncio.sleep((expires_at - datetime.now(UTC)).total_seconds() + 0.05)
    expired = await client.post("/v1/events/eA1/checkins", headers=bearer(door["key"]), json=checkin)
    assert expired.status_code == 401
