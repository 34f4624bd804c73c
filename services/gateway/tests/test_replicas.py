"""Two gateway replicas on one database: a revocation and a key's rate hold across both within the key sync."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client, in_one_second

from gateway.config import GatewaySettings

ADMIN = bearer(ADMIN_KEY)
SYNC_S = 0.1


@pytest.fixture
async def replicas(
    gateway_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    # One database, as replicas behind a load balancer share.
    settings = gateway_settings(rate_per_key=5, burst_per_key=5, key_sync_s=SYNC_S)
    async with gateway_client(settings) as (_, first), gateway_client(settings) as (_, second):
        yield first, second


async def test_a_key_revoked_on_one_replica_is_refused_by_it_at_once_and_by_the_other_within_the_bound(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas
    key = (await first.post("/v1/partners/pA/keys", headers=ADMIN)).json()
    for client in (first, second):
        assert (await client.get("/v1/events", headers=bearer(key["key"]))).status_code == 200
    assert (await first.delete(f"/v1/keys/{key['id']}", headers=ADMIN)).status_code == 204
    revoked_at = time.monotonic()
    assert (await first.get("/v1/events", headers=bearer(key["key"]))).status_code == 401
    while (await second.get("/v1/events", headers=bearer(key["key"]))).status_code != 401:
        assert time.monotonic() - revoked_at < 2 * SYNC_S + 1, "still served past twice the key sync"
        await asyncio.sleep(0.02)


async def test_a_keys_rate_is_counted_across_replicas_once_their_counts_are_synced(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas
    key = bearer((await first.post("/v1/partners/pA/keys", headers=ADMIN)).json()["key"])

    async def calls() -> list[int]:
        statuses = [(await first.get("/v1/events", headers=key)).status_code for _ in range(3)]
        await asyncio.sleep(3 * SYNC_S)  # the first replica's counts reach the database
        return statuses + [(await second.get("/v1/events", headers=key)).status_code for _ in range(3)]

    # The key's rate in total, not five on each replica.
    assert await in_one_second(calls) == [200] * 5 + [429]


async def test_the_environment_admin_keys_rate_is_counted_across_replicas(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    first, second = replicas

    async def calls() -> list[int]:
        return [(await client.get("/v1/keys", headers=ADMIN)).status_code for client in [first, second] * 3]

    assert await in_one_second(calls) == [200] * 5 + [429]
