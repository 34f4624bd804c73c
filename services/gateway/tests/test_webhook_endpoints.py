"""Registering, reading, changing and deleting webhook endpoints; who may see which; secret rotation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client

from gateway.config import GatewaySettings
from shared.contracts.payloads import ATTENDANCE_RECORDED, PARTICIPANT_REGISTERED

ADMIN = bearer(ADMIN_KEY)
HOOK = {"url": "https://hooks.example.org/pulse", "event_types": [PARTICIPANT_REGISTERED]}


@pytest.fixture(scope="module")
async def gateway(
    gateway_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = gateway_settings(
        auth_failure_burst=10_000, webhook_allowed_hosts=["127.0.0.1"], webhook_max_endpoints=3
    )
    async with gateway_client(settings) as running:
        yield running


async def partner_keys(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    keys = []
    for partner in ("pA", "pB"):
        created = await client.post(f"/v1/partners/{partner}/keys", headers=ADMIN)
        assert created.status_code == 201, created.text
        keys.append(bearer(created.json()["key"]))
    return keys[0], keys[1]


async def test_a_partner_registers_lists_reads_changes_and_deletes_its_endpoint(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    a, _ = await partner_keys(client)
    created = await client.post("/v1/webhooks", headers=a, json={**HOOK, "description": "CRM sync"})
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_")
    assert (hook["partner_id"], hook["programme_id"], hook["enabled"]) == ("pA", "resilience", True)
    path = f"/v1/webhooks/{hook['id']}"

    read = (await client.get(path, headers=a)).json()
    assert "secret" not in read
    assert read["description"] == "CRM sync"
    assert [h["id"] for h in (await client.get("/v1/webhooks", headers=a)).json()["webhooks"]] == [hook["id"]]

    changed = await client.patch(
        path, headers=a, json={"enabled": False, "event_types": [ATTENDANCE_RECORDED, PARTICIPANT_REGISTERED]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["enabled"] is False
    assert changed.json()["event_types"] == [ATTENDANCE_RECORDED, PARTICIPANT_REGISTERED]
    assert (await client.patch(path, headers=a, json={"enabled": True})).json()["disabled_reason"] is None

    assert (await client.delete(path, headers=a)).status_code == 204
    assert (await client.get(path, headers=a)).status_code == 404


async def test_partners_see_only_their_own_endpoints_and_admins_see_all(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    a, b = await partner_keys(client)
    mine = (await client.post("/v1/webhooks", headers=a, json=HOOK)).json()
    theirs = (await client.post("/v1/webhooks", headers=ADMIN, json={**HOOK, "partner_id": "pB"})).json()
    assert theirs["partner_id"] == "pB"

    for method, suffix in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/rotate-secret"),
        ("GET", "/deliveries"),
    ]:
        answer = await client.request(method, f"/v1/webhooks/{theirs['id']}{suffix}", headers=a, json={})
        assert answer.status_code == 404, (method, suffix)  # another partner's endpoint is as good as absent
    assert theirs["id"] not in [
        h["id"] for h in (await client.get("/v1/webhooks", headers=a)).json()["webhooks"]
    ]
    everyone = [h["id"] for h in (await client.get("/v1/webhooks", headers=ADMIN)).json()["webhooks"]]
    assert {mine["id"], theirs["id"]} <= set(everyone)
    assert (
        await client.post("/v1/webhooks", headers=a, json={**HOOK, "partner_id": "pB"})
    ).status_code == 403
    assert (await client.post("/v1/webhooks", headers=b, json=HOOK)).status_code == 201
    assert (await client.get("/v1/webhooks")).status_code == 401


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.org/pulse", "https"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[fe80::1]/hook", "link-local"),
        ("https://metadata.google.internal/computeMetadata", "metadata"),
        ("https://10.0.0.8/hook", "private"),
        ("https://[::ffff:169.254.169.254]/hook", "link-local"),
        ("https://localhost/hook", "this machine"),
        ("ftp://hooks.example.org/", "https"),
        ("https://user:pw@hooks.example.org/", "credentials"),
        ("not a url", "https"),
    ],
)
async def test_endpoint_urls_must_be_https_and_never_point_inside(
    gateway: tuple[FastAPI, httpx.AsyncClient], url: str, why: str
) -> None:
    _, client = gateway
    refused = await client.post("/v1/webhooks", headers=ADMIN, json={**HOOK, "url": url, "partner_id": "pA"})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert why in refused.json()["detail"]


async def test_bad_endpoint_requests_get_clear_problems(gateway: tuple[FastAPI, httpx.AsyncClient]) -> None:
    _, client = gateway
    for body in (
        {**HOOK, "event_types": ["pulse.counters.snapshot.v1"]},  # not a webhook type
        {**HOOK, "event_types": []},
        {**HOOK, "extra": 1},
        {"url": HOOK["url"]},
    ):
        answer = await client.post("/v1/webhooks", headers=ADMIN, json={**body, "partner_id": "pA"})
        assert answer.status_code == 422, (body, answer.text)
    assert (await client.post("/v1/webhooks", headers=ADMIN, json=HOOK)).status_code == 422  # whose?
    unknown = await client.post("/v1/webhooks", headers=ADMIN, json={**HOOK, "partner_id": "nobody"})
    assert unknown.status_code == 404
    # http is allowed for the hosts the settings name (tests, local use).
    local = {**HOOK, "url": "http://127.0.0.1:9/hook", "partner_id": "pA"}
    assert (await client.post("/v1/webhooks", headers=ADMIN, json=local)).status_code == 201


async def test_a_partner_has_a_bounded_number_of_endpoints(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = gateway
    key = bearer((await client.post("/v1/partners/pA/keys", headers=ADMIN)).json()["key"])
    existing = len((await client.get("/v1/webhooks", headers=key)).json()["webhooks"])
    for _ in range(existing, 3):
        assert (await client.post("/v1/webhooks", headers=key, json=HOOK)).status_code == 201
    refused = await client.post("/v1/webhooks", headers=key, json=HOOK)
    assert refused.status_code == 409


async def test_a_rotated_secret_is_new_and_the_old_one_still_signs_for_a_while(
    gateway: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = gateway
    hook = (await client.post("/v1/webhooks", headers=ADMIN, json={**HOOK, "partner_id": "pB"})).json()
    rotated = await client.post(f"/v1/webhooks/{hook['id']}/rotate-secret", headers=ADMIN)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"] not in (hook["secret"], None)
    stored = await app.state.context.webhooks.endpoints.by_id(hook["id"])
    assert stored.secrets_at(datetime.now(UTC)) == [rotated.json()["secret"], hook["secret"]]
