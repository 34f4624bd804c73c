"""Two gateway replicas on one database: a revocation and a key's rate hold across both at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client, in_one_second

from gateway.config import GatewaySettings

ADMIN = bearer(ADMIN_KEY)


@pytest.fixture
async def replicas(
    gateway_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    settings = gateway_settings(
        rate_per_key=5, burst_per_key=5
    )  # one database, as replicas behind a load balancer share
    async with gateway_client(settings) as (_, first), gateway_client(settings) as (_, second):
        yield first, second


async def test_a_key_revoked_on_one_replica_is_refused_by_the_other_at_once(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas
    key = (await first.post("/v1/partners/pA/keys", headers=ADMIN)).json()
    assert (await second.get("/v1/events", headers=bearer(key["key"]))).status_code == 200
    assert (await first.delete(f"/v1/keys/{key['id']}", headers=ADMIN)).status_code == 204
    refused = await second.get("/v1/events", headers=bearer(key["key"]))
    assert refused.status_code == 401


async def test_a_keys_rate_is_counted_across_replicas(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas
    key = bearer((await first.post("/v1/partners/pA/keys", headers=ADMIN)).json()["key"])

    async def calls() -> list[int]:
        return [(await client.get("/v1/events", headers=key)).status_code for client in [first, second] * 5]

    statuses = await in_one_second(calls)
    assert statuses.count(200) == 5, statuses  # the key's rate in total, not five on each replica
    assert statuses[5:] == [429] * 5


async def test_the_environment_admin_keys_rate_is_counted_across_replicas(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas

    async def calls() -> list[int]:
        return [(await client.get("/v1/keys", headers=ADMIN)).status_code for client in [first, second] * 3]

    assert await in_one_second(calls) == [200] * 5 + [429]
