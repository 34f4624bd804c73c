"""Every forwarded route against every kind of caller, through real HTTP to an echo backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from testkit.gateway_kit import ADMIN_KEY, Keys, bearer, gateway_client

from gateway.config import GatewaySettings
from gateway.domain.keys import checkin_key

EVERYONE = {"admin", "partner_a", "partner_b", "checkin_a", "public"}
PARTNERS = {"admin", "partner_a", "partner_b"}
ADMIN = {"admin"}


@pytest.fixture(scope="module")
async def matrix(
    gateway_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[tuple[httpx.AsyncClient, Keys]]:
    # Revoked and expired keys fail on purpose, many times from one address: allow that here.
    async with gateway_client(gateway_settings(auth_failure_burst=10_000)) as (app, client):
        admin = bearer(ADMIN_KEY)
        made = {}
        for partner in ("pA", "pB"):
            response = await client.post(f"/v1/partners/{partner}/keys", headers=admin, json={})
            assert response.status_code == 201, response.text
            made[partner] = response.json()["key"]
        in_a_week = (datetime.now(UTC) + timedelta(days=7)).isoformat()
        checkin = await client.post(
            "/v1/events/eA1/checkin-keys", headers=bearer(made["pA"]), json={"expires_at": in_a_week}
        )
        assert checkin.status_code == 201, checkin.text
        revoked = (await client.post("/v1/partners/pA/keys", headers=admin)).json()
        assert (await client.delete(f"/v1/keys/{revoked['id']}", headers=admin)).status_code == 204
        # An expired key cannot be made through the API (expiry must be in the future): store one directly.
        week_ago = datetime.now(UTC) - timedelta(days=7)
        expired, expired_secret = checkin_key("eA1", "pA", week_ago + timedelta(hours=1), week_ago)
        await app.state.context.keys.insert(expired)
        keys = Keys(ADMIN_KEY, made["pA"], made["pB"], checkin.json()["key"], revoked["key"], expired_secret)
        yield client, keys


ROUTES: list[tuple[str, str, Any, str, set[str]]] = [
    ("POST", "/v1/partners", {"name": "UCL"}, "registration", ADMIN),
    ("GET", "/v1/partners", None, "registration", ADMIN),
    ("GET", "/v1/partners/pA", None, "registration", {"admin", "partner_a"}),
    ("GET", "/v1/partners/pB", None, "registration", {"admin", "partner_b"}),
    ("POST", "/v1/organisations", {"name": "School"}, "registration", PARTNERS),
    ("GET", "/v1/organisations?kind=school", None, "registration", PARTNERS),
    ("POST", "/v1/participants", {"partner_ref": "r1"}, "registration", PARTNERS),
    ("POST", "/v1/participants:batch", {"participants": []}, "registration", PARTNERS),
    ("GET", "/v1/participants/p1", None, "registration", PARTNERS),
    ("GET", "/v1/participants/p1/qr", None, "registration", PARTNERS),
    ("DELETE", "/v1/participants/p1", None, "registration", PARTNERS),
    ("POST", "/v1/events", {"title": "Training"}, "events", PARTNERS),
    ("GET", "/v1/events?kind=training", None, "events", PARTNERS),
    ("GET", "/v1/events/eA1", None, "events", {*PARTNERS, "checkin_a"}),
    ("GET", "/v1/events/eB1", None, "events", PARTNERS),
    ("GET", "/v1/events/eA1/checkins/count", None, "events", {*PARTNERS, "checkin_a"}),
    ("GET", "/v1/events/eB1/checkins/count", None, "events", PARTNERS),
    ("PATCH", "/v1/events/eA1", {"title": "New"}, "events", PARTNERS),
    ("POST", "/v1/events/eA1/checkins", {"participant_id": "p1"}, "events", {*PARTNERS, "checkin_a"}),
    ("POST", "/v1/events/eB1/checkins", {"participant_id": "p1"}, "events", PARTNERS),
    ("POST", "/v1/attendance:batch", {"records": []}, "events", PARTNERS),
    ("GET", "/v1/programme/report?format=csv", None, "metrics", EVERYONE),
    ("GET", "/v1/programme/statement?format=text", None, "metrics", EVERYONE),
    ("GET", "/v1/programme/targets", None, "metrics", ADMIN),
]


@pytest.mark.parametrize(("method", "path", "body", "upstream", "allowed"), ROUTES)
async def test_each_caller_is_forwarded_only_within_its_scope(
    matrix: tuple[httpx.AsyncClient, Keys],
    method: str,
    path: str,
    body: Any,
    upstream: str,
    allowed: set[str],
) -> None:
    client, keys = matrix
    for caller, key in keys.by_name().items():
        headers = bearer(key) if key else {}
        response = await client.request(method, path, json=body, headers=headers)
        if caller in allowed:
            assert response.status_code == 200, (caller, response.text)
            echoed = response.json()
            assert echoed["upstream"] == upstream
            assert (echoed["method"], echoed["path"]) == (method, path.split("?")[0])
            assert echoed["query"] == (path.split("?", 1)[1] if "?" in path else "")
            if body is not None:
                assert httpx.Response(200, content=echoed["body"]).json() == body
            expected_scope = "public" if caller == "public" else caller.split("_")[0]
            assert echoed["principal"]["scope"] == expected_scope
        elif caller in ("public", "revoked", "expired"):
            assert response.status_code == 401, (caller, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.headers["content-type"] == "application/problem+json"
        else:
            assert response.status_code == 403, (caller, response.text)
            assert response.json()["status"] == 403


async def test_forwarded_principal_names_the_key_and_what_it_is_bound_to(
    matrix: tuple[httpx.AsyncClient, Keys],
) -> None:
    client, keys = matrix
    response = await client.post(
        "/v1/events/eA1/checkins", headers=bearer(keys.checkin_a), json={"participant_id": "p1"}
    )
    principal = response.json()["principal"]
    assert principal["scope"] == "checkin"
    assert principal["event_id"] == "eA1"
    assert principal["partner_id"] == "pA"
    assert principal["key_id"].startswith("key_")
    partner = (await client.get("/v1/organisations", headers=bearer(keys.partner_b))).json()["principal"]
    assert (partner["scope"], partner["partner_id"]) == ("partner", "pB")


async def test_a_client_cannot_smuggle_an_identity_header(matrix: tuple[httpx.AsyncClient, Keys]) -> None:
    client, _ = matrix
    spoofed = {"x-pulse-principal": '{"scope":"admin"}'}
    report = await client.get("/v1/programme/report", headers=spoofed)
    assert report.json()["principal"] == {"scope": "public"}
    assert (await client.get("/v1/partners", headers=spoofed)).status_code == 401


async def test_request_id_travels_to_the_service_and_back(matrix: tuple[httpx.AsyncClient, Keys]) -> None:
    client, keys = matrix
    response = await client.get("/v1/events", headers={**bearer(keys.admin), "x-request-id": "req-42"})
    assert response.json()["request_id"] == "req-42"
    assert response.headers["x-request-id"] == "req-42"
    generated = await client.get("/v1/events", headers=bearer(keys.admin))
    assert generated.json()["request_id"] == generated.headers["x-request-id"]


async def test_only_relevant_service_headers_come_back(matrix: tuple[httpx.AsyncClient, Keys]) -> None:
    client, keys = matrix
    response = await client.get("/v1/participants/p1/qr", headers=bearer(keys.admin))
    assert response.headers["location"] == "/v1/participants/p1/qr"
    assert "x-internal" not in response.headers


async def test_escaped_paths_queries_and_bare_bodies_reach_the_service_as_sent(
    matrix: tuple[httpx.AsyncClient, Keys],
) -> None:
    client, keys = matrix
    admin = bearer(keys.admin)
    odd = await client.get("/v1/participants/a%20b%C3%BC%25?q=x%20y&kind=a+b", headers=admin)
    assert odd.status_code == 200, odd.text
    assert odd.json()["path"] == "/v1/participants/a bü%"
    assert odd.json()["query"] == "q=x%20y&kind=a+b"
    assert dict(odd.headers.raw)[b"location"] == "/v1/participants/a bü%".encode("latin-1")  # byte for byte
    # A dot segment is not resolved on the way: the service routes the very path the gateway decided on.
    dotted = await client.get("/v1/participants/p1/..%2F..", headers=admin)
    assert dotted.json()["path"] == "/v1/participants/p1/../.."
    untyped = await client.post("/v1/participants", content=b'{"partner_ref": "r1"}', headers=admin)
    assert untyped.json()["content_type"] is None
    assert untyped.json()["body"] == '{"partner_ref": "r1"}'


async def test_unknown_paths_and_malformed_keys_are_refused(matrix: tuple[httpx.AsyncClient, Keys]) -> None:
    client, keys = matrix
    missing = await client.get("/v1/nowhere", headers=bearer(keys.admin))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    for authorization in ("Bearer", "Basic abc", f"Bearer {keys.admin}x", "Bearer pk_not-a-key"):
        response = await client.get("/v1/events", headers={"Authorization": authorization})
        assert response.status_code == 401, authorization
