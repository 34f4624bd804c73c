"""The aggregated OpenAPI document, the public pages, and refusing a placeholder admin key."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from pydantic import ValidationError
from testkit.gateway_kit import gateway_client

from gateway.config import GatewaySettings


async def test_one_document_covers_the_gateway_and_the_services(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    async with gateway_client(gateway_settings()) as (_, client):
        for _ in range(100):  # the services' documents are fetched in the background
            document = (await client.get("/openapi.json")).json()
            if "/v1/participants" in document["paths"]:
                break
            await asyncio.sleep(0.1)
        paths = document["paths"]
        assert {"/v1/keys", "/v1/events/{event_id}/checkin-keys", "/v1/programme/counters/stream"} <= set(
            paths
        )
        counters_parameters = paths["/v1/programme/counters"]["get"]["parameters"]
        assert [p["name"] for p in counters_parameters] == ["programme_id"]
        assert "/internal/thing" not in paths  # only the public /v1 paths of a service
        assert "ParticipantCreate" in document["components"]["schemas"]
        assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
        assert (await client.get("/docs")).status_code == 200
        page = await client.get("/")
        assert "Programme Pulse — RESILIENCE" in page.text
        assert (await client.get("/static/dashboard.js")).status_code == 200
        assert (await client.get("/healthz")).json() == {"status": "alive"}


@pytest.mark.parametrize("admin_key", ["", "changeme", " " * 30, "x" * 19])
def test_a_missing_or_placeholder_admin_key_refuses_to_start(admin_key: str) -> None:
    with pytest.raises(ValidationError, match="PULSE_ADMIN_KEY"):
        GatewaySettings(admin_key=admin_key)
