"""A rolling restart of every service under steady traffic loses no accepted request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import pytest
from testkit.ops_calls import bearer, new_partner_key, patiently
from testkit.registration_bodies import participant_body

from pulse_local import platform

pytestmark = pytest.mark.e2e

Running = tuple[platform.Layout, dict[str, str]]
RETRYABLE = {429, 502, 503, 504}  # 429: the key's rate limit, which a client waits out


@dataclass
class Tally:
    sent: int = 0
    retries: int = 0
    refused: int = 0
    accepted: list[str] = field(default_factory=list)


async def register_with_retries(client: httpx.AsyncClient, key: str, tally: Tally) -> None:
    """Register one participant, retrying as a client may while a service restarts (same body: idempotent)."""
    body = participant_body()
    tally.sent += 1
    for _ in range(240):
        try:
            response = await client.post("/v1/participants", json=body, headers=bearer(key))
        except httpx.TransportError:  # the gateway itself is restarting
            response = None
        if response is not None and response.status_code not in RETRYABLE:
            if response.is_success:
                tally.accepted.append(response.json()["id"])
            else:
                tally.refused += 1
            return
        tally.retries += 1
        await asyncio.sleep(0.25)
    tally.refused += 1


async def steady_traffic(client: httpx.AsyncClient, key: str, tally: Tally, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await register_with_retries(client, key, tally)
        await asyncio.sleep(0.05)


def restart(layout: platform.Layout, env: dict[str, str], service: str) -> None:
    layout.service_process(service).stop()  # SIGTERM: drain, flush, commit, exit
    platform.start_service(layout, service, env)


async def test_no_accepted_registration_is_lost_across_a_rolling_restart(running_platform: Running) -> None:
    layout, env = running_platform
    tally = Tally()
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=layout.url("gateway"), timeout=30) as client:
        key = await new_partner_key(client, env["PULSE_ADMIN_KEY"])
        senders = [asyncio.create_task(steady_traffic(client, key, tally, stop)) for _ in range(3)]
        for service in platform.SERVICES:
            await asyncio.sleep(1)
            await asyncio.to_thread(restart, layout, env, service)
        await asyncio.to_thread(platform.wait_ready, layout)
        await asyncio.sleep(1)
        stop.set()
        await asyncio.gather(*senders)

        missing = [
            pid
            for pid in tally.accepted
            if (await patiently(client, "GET", f"/v1/participants/{pid}", key)).status_code != 200
        ]

    print(
        f"\nrolling restart: sent={tally.sent} accepted={len(tally.accepted)} refused={tally.refused} "
        f"retries={tally.retries} lost={len(missing)}"
    )
    assert tally.accepted
    assert tally.refused == 0
    assert missing == []
    assert len(set(tally.accepted)) == len(tally.accepted) == tally.sent
