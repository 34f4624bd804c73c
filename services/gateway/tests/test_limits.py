"""Body size, batch length and request rate limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client

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
    settings = gateway_settings(rate_per_key=0.2, burst_per_key=3)
    async with gateway_client(settings) as (_, client):
        partner = (await client.post("/v1/partners/pA/keys", headers=ADMIN)).json()["key"]
        statuses = [(await client.get("/v1/events", headers=ADMIN)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # the key creation took the first token
        limited = await client.get("/v1/events", headers=ADMIN)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["type"] == "/problems/rate-limited"
        assert (await client.get("/v1/events", headers=bearer(partner))).status_code == 200


async def test_repeated_bad_keys_from_one_address_are_slowed(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings(auth_failure_rate=0.1, auth_failure_burst=3)
    async with gateway_client(settings) as (_, client):
        guesses = [
            (await client.get("/v1/events", headers=bearer(f"pk_guess{i}"))).status_code for i in range(4)
        ]
        assert guesses == [401, 401, 401, 429]
        assert int((await client.get("/v1/events", headers=bearer("pk_more"))).headers["retry-after"]) >= 1
        assert (await client.get("/v1/programme/report")).status_code == 200  # no key: public reads go on
