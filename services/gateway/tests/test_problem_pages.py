"""Every problem type any service can answer with has its page; a method a path does not take is a 405."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import httpx
from testkit.gateway_kit import ADMIN_KEY, bearer, gateway_client

from gateway.config import GatewaySettings
from shared.http.problem_types import DEFAULT_TYPES, PROBLEM_TYPES

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*ROOT.glob("services/*/src/**/*.py"), *ROOT.glob("shared/src/**/*.py")]
# Where a type is named: a ProblemError's `type_=`, and a refusal's answer in a service's problems table,
# `SomeRefusal: (status, "type", "title")`.
NAMED = (re.compile(r'type_="([a-z0-9-]+)"'), re.compile(r'\(\s*\d{3},\s*"([a-z0-9-]+)",'))


def emitted_types() -> set[str]:
    """Every problem type the code can put in a problem document, read from the sources."""
    found = set(DEFAULT_TYPES.values())
    for source in SOURCES:
        text = source.read_text()
        for pattern in NAMED:
            found.update(pattern.findall(text))
    return found


async def test_every_type_the_services_emit_has_a_page(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    types = emitted_types()
    assert {
        "bad-cursor",
        "idempotency-key-reused",
        "checkin-id-conflict",
        "erased",
    } <= types  # the scan works
    async with gateway_client(gateway_settings()) as (_, client):
        pages = {slug: await client.get(f"/problems/{slug}") for slug in sorted(types)}
        as_json = await client.get("/problems/bad-cursor", headers={"Accept": "application/json"})
        unknown = await client.get("/problems/no-such-type")

    assert sorted(types - PROBLEM_TYPES.keys()) == []
    missing = {slug: page.status_code for slug, page in pages.items() if page.status_code != 200}
    assert missing == {}
    assert all(page.headers["content-type"].startswith("text/html") for page in pages.values())
    assert PROBLEM_TYPES["idempotency-key-reused"].title in pages["idempotency-key-reused"].text
    assert as_json.json()["type"] == "/problems/bad-cursor"
    assert as_json.json()["statuses"] == [400]
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "/problems/not-found"


async def _contract_loaded(client: httpx.AsyncClient) -> None:
    async with asyncio.timeout(10):  # the services' documents are fetched in the background
        while "/v1/participants" not in (await client.get("/openapi.json")).json()["paths"]:  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def test_a_method_a_path_does_not_take_is_a_405_naming_those_it_takes(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    async with gateway_client(gateway_settings()) as (_, client):
        await _contract_loaded(client)
        proxied = await client.delete("/v1/participants", headers=bearer(ADMIN_KEY))
        unauthenticated = await client.put("/v1/participants")
        own = await client.post("/problems/validation")
        unknown_path = await client.delete("/v1/no-such-thing", headers=bearer(ADMIN_KEY))

    for refused, allow in ((proxied, "POST"), (unauthenticated, "POST"), (own, "GET")):
        assert refused.status_code == 405
        assert refused.headers["allow"] == allow
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "/problems/method-not-allowed"
    assert unknown_path.status_code == 404
