"""Body size, batch length and request rate limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import httpx
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client, in_one_second

from gateway.config import GatewaySettings

ADMIN = bearer(ADMIN_KEY)


async def test_bodies_over_the_limit_are_refused(gateway_settings: Callable[..., GatewaySettings]) -> None:
    async with gateway_client(gateway_settings(max_body_bytes=1024, max_batch_items=5)) as (_, client):
        small = await client.post("/v1/participants", headers=ADMIN, content=b"x" * 1000)
        assert small.status_code == 200
        declared = await client.post("/v1/participants", headers=ADMIN, content=b"x" * 1025)
        assert declared.status_code == 413
        assert declared.headers["content-type"] == "application/problem+json"

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: caught while reading
            for _ in range(4):
                yield b"y" * 400

        streamed = await client.post("/v1/participants", headers=ADMIN, content=chunks())
        assert streamed.status_code == 413
        own_route = await client.post("/v1/partners/pA/keys", headers=ADMIN, content=chunks())
        assert own_route.status_code == 413

        records = [{"event_id": "e", "participant_id": f"p{i}"} for i in range(6)]
        batch = await client.post("/v1/attendance:batch", headers=ADMIN, json={"records": records})
        assert batch.status_code == 413
        assert "at most 5" in batch.json()["detail"]
        fits = await client.post("/v1/attendance:batch", headers=ADMIN, json={"records": records[:5]})
        assert fits.status_code == 200
        assert json.loads(fits.json()["body"]) == {"records": records[:5]}


async def test_each_key_has_its_own_request_rate(gateway_settings: Callable[..., GatewaySettings]) -> None:
    async with gateway_client(gateway_settings(rate_per_key=3, burst_per_key=3)) as (_, client):
        partner = (await client.post("/v1/partners/pA/keys", headers=ADMIN)).json()["key"]

        async def calls() -> list[int]:
            admin = [(await client.get("/v1/events", headers=ADMIN)).status_code for _ in range(4)]
            return [*admin, (await client.get("/v1/events", headers=bearer(partner))).status_code]

        assert await in_one_second(calls) == [200, 200, 200, 429, 200]
        limited = await client.get("/v1/events", headers=ADMIN)
        if limited.status_code == 429:  # still the same second
            assert limited.headers["retry-after"] == "1"
            assert limited.json()["type"] == "/problems/rate-limited"


async def test_repeated_bad_keys_from_one_address_are_slowed(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings(auth_failure_rate=0.001, auth_failure_burst=3)
    async with gateway_client(settings) as (_, client):
        guesses = [
            (await client.get("/v1/events", headers=bearer(f"pk_guess{i}"))).status_code for i in range(4)
        ]
        assert guesses == [401, 401, 401, 429]
        assert int((await client.get("/v1/events", headers=bearer("pk_more"))).headers["retry-after"]) >= 1
        assert (await client.get("/v1/programme/report")).status_code == 200  # no key: public reads go on


async def test_a_valid_key_is_served_from_an_address_that_sent_many_bad_ones(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    """Callers behind one NAT share an address: one of them guessing must not lock the others out."""
    settings = gateway_settings(auth_failure_rate=0.001, auth_failure_burst=3)
    async with gateway_client(settings, peer="203.0.113.7") as (_, client):
        guesses = [
            (await client.get("/v1/events", headers=bearer(f"pk_g{i}"))).status_code for i in range(22)
        ]
        assert guesses[-1] == 429
        assert (await client.get("/v1/events", headers=ADMIN)).status_code == 200
        partner = await client.post("/v1/partners/pA/keys", headers=ADMIN)
        assert partner.status_code == 201
        assert (await client.get("/v1/events", headers=bearer(partner.json()["key"]))).status_code == 200


async def test_forwarded_addresses_are_believed_only_from_the_configured_proxies(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings(auth_failure_rate=0.001, auth_failure_burst=3)

    async def guesses(client: httpx.AsyncClient, *forwarded_for: str) -> list[int]:
        return [
            (
                await client.get("/v1/events", headers={"x-forwarded-for": sent, **bearer("pk_guess")})
            ).status_code
            for sent in forwarded_for
        ]

    # Not a configured proxy: its X-Forwarded-For is ignored, so a new value each time does not help.
    async with gateway_client(settings, peer="203.0.113.8") as (_, client):
        assert await guesses(client, *(f"198.51.100.{i}" for i in range(4))) == [401, 401, 401, 429]
    # A configured proxy: each client it forwards is counted on its own.
    trusted = settings.model_copy(update={"forwarded_allow_ips": "203.0.113.0/24"})
    async with gateway_client(trusted, peer="203.0.113.9") as (_, client):
        assert await guesses(client, *["198.51.100.20"] * 4) == [401, 401, 401, 429]
        assert await guesses(client, "198.51.100.20, 203.0.113.10") == [429]  # through two proxies
        assert await guesses(client, "198.51.100.21") == [401]
