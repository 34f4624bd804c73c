"""A dead or slow service answers 503/504 problem details quickly; the gateway never hangs."""

from __future__ import annotations

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
