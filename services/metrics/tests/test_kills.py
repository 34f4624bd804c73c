"""The metrics process killed with SIGKILL again and again while it folds tens of thousands of events."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest
from testkit.facts import expected_figures, generate_programme
from testkit.metrics_kit import MetricsProcess, admin_figures, produce, wait_for_figures

from metrics.config import MetricsSettings

pytestmark = pytest.mark.integration

KILLS = 4


async def attendances_now(client: httpx.AsyncClient) -> int | None:
    figures = await admin_figures(client)
    return figures.attendances if figures is not None else None


async def kill_once_progressing(
    service: MetricsProcess, client: httpx.AsyncClient, rng: random.Random
) -> int:
    """Start, wait until the counters move, kill at a random instant soon after; the count seen then."""
    service.start()
    first: int | None = None
    for _ in range(300):
        seen = await attendances_now(client)
        if first is None:
            first = seen
        elif seen is not None and seen != first:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(rng.uniform(0.0, 0.6))
    seen = await attendances_now(client)
    service.kill()
    return seen or 0


async def test_counters_are_exact_after_repeated_sigkills_mid_consumption(
    metrics_settings: MetricsSettings, tmp_path: Path
) -> None:
    rng = random.Random(5)
    programme = generate_programme(rng, participants=3000, events=80, attendances=30000)
    wanted = expected_figures(programme)
    messages = programme.messages

    async def produce_steadily() -> None:
        # Slow enough that every restart (a rejoin waits out the killed member's session) finds work.
        for start in range(0, len(messages), 500):
            await produce(metrics_settings, messages[start : start + 500])
            await asyncio.sleep(0.6)

    service = MetricsProcess(metrics_settings, tmp_path / "metrics.log")
    producing = asyncio.create_task(produce_steadily())
    seen_at_kills: list[int] = []
    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=5) as client:
            for _ in range(KILLS):
                seen_at_kills.append(await kill_once_progressing(service, client, rng))
            await producing
            service.start()
            final = await wait_for_figures(client, wanted, timeout_s=240)
    finally:
        producing.cancel()
        service.stop()

    assert len(messages) > 30000
    assert sum(0 < seen < final.attendances for seen in seen_at_kills) >= 2, seen_at_kills
    assert final.attendances == wanted["counters"]["attendances"]
