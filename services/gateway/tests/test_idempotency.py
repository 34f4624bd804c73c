"""Idempotency-Key across two gateway instances sharing one database (docs/api.md, Retrying writes)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from testkit.gateway_kit import ADMIN_KEY, SLOW_ARRIVALS, ServerThread, bearer, gateway_client

from gateway.config import GatewaySettings


def keyed(key: str) -> dict[str, str]:
    return {**bearer(ADMIN_KEY), "Idempotency-Key": key}


async def test_a_retry_at_another_instance_gets_the_first_answer_and_another_body_a_422(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings()
    body = {"name": "Teesside University"}
    async with gateway_client(settings) as (_, one), gateway_client(settings) as (_, two):
        first = await one.post("/v1/partners", json=body, headers=keyed("retry-1"))
        again = await two.post("/v1/partners", json=body, headers=keyed("retry-1"))
        other_body = await two.post("/v1/partners", json={"name": "UCL"}, headers=keyed("retry-1"))
        unkeyed = [await one.post("/v1/partners", json=body, headers=bearer(ADMIN_KEY)) for _ in range(2)]
        bad_key = await one.post("/v1/partners", json=body, headers=keyed("has space"))

    # The echo backend answers with the request's own id: a request run twice would show two.
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert other_body.status_code == 422
    assert other_body.json()["type"] == "/problems/idempotency-key-reused"
    assert other_body.headers["content-type"] == "application/problem+json"
    assert unkeyed[0].json()["request_id"] != unkeyed[1].json()["request_id"]
    assert bad_key.status_code == 400
    assert bad_key.json()["type"] == "/problems/invalid-idempotency-key"


async def test_a_request_in_flight_at_one_instance_is_a_409_at_the_other_until_it_ends(
    gateway_settings: Callable[..., GatewaySettings], echo_backend: ServerThread
) -> None:
    settings = gateway_settings(events_url=f"{echo_backend.url}/slow", upstream_read_timeout_s=4)
    body = {"title": "Open day"}
    async with gateway_client(settings) as (_, one), gateway_client(settings) as (_, two):
        arrived = SLOW_ARRIVALS.count
        slow = asyncio.create_task(one.post("/v1/events", json=body, headers=keyed("flight-1")))
        # The echo backend holds it for 10 s; the gateway gives up after 4. Once the backend has it, the
        # first instance has claimed the key.
        assert await asyncio.to_thread(SLOW_ARRIVALS.wait_beyond, arrived, 4)
        meanwhile = await two.post("/v1/events", json=body, headers=keyed("flight-1"))
        timed_out = await slow
        other_key = await two.post("/v1/events", json=body, headers=keyed("flight-2"))

    assert meanwhile.status_code == 409
    assert meanwhile.json()["type"] == "/problems/idempotency-request-in-flight"
    assert meanwhile.headers["retry-after"] == "1"
    assert timed_out.status_code == 504
    assert other_key.status_code == 504  # another key is another request: it ran, and timed out too
