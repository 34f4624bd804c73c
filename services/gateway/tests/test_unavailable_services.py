"""A dead, slow or busy service answers 503/504 problem details quickly; the gateway never hangs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from testkit.gateway_kit import ADMIN_KEY, ServerThread, bearer, free_port, gateway_client

from gateway.config import GatewaySettings

ADMIN = bearer(ADMIN_KEY)


async def test_stopped_and_slow_services(
    gateway_settings: Callable[..., GatewaySettings], echo_backend: ServerThread
) -> None:
    settings = gateway_settings(
        metrics_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        events_url=f"{echo_backend.url}/slow",
        upstream_read_timeout_s=0.3,
    )
    # The client's own timeout turns a hanging gateway into a failure instead of a stuck test.
    async with gateway_client(settings) as (_, client):
        stopped = await client.get("/v1/programme/report", timeout=5)
        assert stopped.status_code == 503
        assert stopped.headers["content-type"] == "application/problem+json"
        assert stopped.headers["retry-after"]
        assert "metrics" in stopped.json()["detail"]

        slow = await client.get("/v1/events", headers=ADMIN, timeout=5)
        assert slow.status_code == 504
        assert slow.json()["title"] == "Gateway timeout"

        key_for_slow_event = await client.post(
            "/v1/events/eA1/checkin-keys",
            headers=ADMIN,
            json={"expires_at": "2999-01-01T00:00:00Z"},
            timeout=5,
        )
        assert key_for_slow_event.status_code == 422  # validated before asking the slow service
        still_serving = await client.get("/v1/participants/p1", headers=ADMIN, timeout=5)
        assert still_serving.status_code == 200


async def test_a_request_finding_no_free_connection_is_refused_as_busy_and_safe_to_retry(
    gateway_settings: Callable[..., GatewaySettings], echo_backend: ServerThread
) -> None:
    settings = gateway_settings(
        events_url=f"{echo_backend.url}/slow",
        upstream_connections=1,
        upstream_connect_timeout_s=0.3,
        upstream_read_timeout_s=1.5,
    )
    async with gateway_client(settings) as (_, client):
        # The gateway's own first fetch of the services' API documents holds the connection a moment.
        async with asyncio.timeout(10):
            # Polling is the point: the served document is the only sign that the fetch is over.
            while "/v1/participants" not in (await client.get("/openapi.json")).json()["paths"]:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        first = asyncio.create_task(client.get("/v1/events", headers=ADMIN, timeout=10))
        await asyncio.sleep(0.2)  # the first holds the only connection
        second = await client.get("/v1/events", headers=ADMIN, timeout=10)
        assert second.status_code == 503
        assert second.headers["retry-after"]
        assert "busy" in second.json()["detail"]
        assert (await first).status_code == 504

        # The connection is free again once the first is answered.
        third = await client.get("/v1/events", headers=ADMIN, timeout=10)
        assert third.status_code == 504
