"""Calls through the running platform's gateway, for the operations tests."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from testkit.registration_bodies import participant_body

PATIENCE_S = 60.0


def bearer(key: str, request_id: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {key}"}
    if request_id:
        headers["x-request-id"] = request_id
    return headers


async def patiently(
    client: httpx.AsyncClient, method: str, path: str, key: str | None, body: Any = None
) -> httpx.Response:
    """One call, waiting out 429s as a well-behaved client does (the gateway limits each key and address),
    for PATIENCE_S at most."""
    async with asyncio.timeout(PATIENCE_S):
        while True:
            response = await client.request(method, path, json=body, headers=bearer(key) if key else {})
            if response.status_code != 429:
                return response
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def new_partner_key(client: httpx.AsyncClient, admin_key: str) -> str:
    """Create a partner and one API key for it; returns the key."""
    partner = await client.post(
        "/v1/partners", json={"name": f"Ops {uuid.uuid4().hex[:6]}"}, headers=bearer(admin_key)
    )
    assert partner.status_code == 201, partner.text
    issued = await client.post(
        f"/v1/partners/{partner.json()['id']}/keys", json={}, headers=bearer(admin_key)
    )
    assert issued.status_code == 201, issued.text
    key: str = issued.json()["key"]
    return key


async def register(client: httpx.AsyncClient, key: str, request_id: str | None = None) -> httpx.Response:
    return await client.post("/v1/participants", json=participant_body(), headers=bearer(key, request_id))


def samples(metrics_text: str) -> list[tuple[str, dict[str, str], float]]:
    """Every sample of a Prometheus text exposition as (name, labels, value)."""
    return [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(metrics_text)
        for s in family.samples
    ]


def total(metrics_text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels`."""
    return sum(
        value
        for sample, have, value in samples(metrics_text)
        if sample == name and all(have.get(k) == v for k, v in labels.items())
    )


def json_lines(log_file: Path) -> list[dict[str, Any]]:
    lines = []
    for line in log_file.read_text(errors="replace").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue  # uvicorn's own start-up lines before logging is configured
    return lines
