"""Metrics scaled out: instances killed, replaced, added, stopped and rolled while facts stream in.

Each instance is its own process on the real broker and database. Every counters snapshot published during
the run is checked against an independent recomputation of the facts handed to Kafka by the time it is
read: no figure may ever exceed it (a partition counted twice or a partial view mixed in would), and at the
end the figures must equal the recomputation of everything sent.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from testkit.facts import expected_figures, generate_programme
from testkit.metrics_kit import MetricsProcess, PublishedWatch, StreamedFacts

from metrics.config import MetricsSettings
from shared.kafka.topics_admin import ensure_topics

pytestmark = pytest.mark.integration

PARTITIONS = 6


class Instances:
    """Metrics processes started by name, all stopped at the end."""

    def __init__(self, settings: MetricsSettings, folder: Path) -> None:
        self._settings = settings
        self._folder = folder
        self.running: dict[str, MetricsProcess] = {}

    async def start(self, *names: str) -> None:
        for name in names:
            process = MetricsProcess(self._settings, self._folder / f"{name}.log", instance_id=name)
            process.start()
            self.running[name] = process
        await asyncio.gather(*(self.running[n].wait_healthy() for n in names))

    def kill(self, name: str) -> None:
        self.running.pop(name).kill()

    async def stop(self, *names: str) -> None:
        await asyncio.gather(*(asyncio.to_thread(self.running.pop(n).stop) for n in names))

    def stop_all(self) -> None:
        for process in self.running.values():
            process.stop()


@pytest.fixture
async def watched(
    make_settings: Callable[..., Any], tmp_path: Path
) -> AsyncIterator[tuple[MetricsSettings, StreamedFacts, PublishedWatch, Instances]]:
    settings: MetricsSettings = make_settings(
        MetricsSettings, topic_partitions=PARTITIONS, snapshot_min_interval_s=0.05
    )
    await ensure_topics(settings.kafka, settings.topics, partitions=PARTITIONS, replication=1)
    programme = generate_programme(
        random.Random(21), participants=1500, events=30, attendances=6000, changes=False
    )
    random.Random(22).shuffle(programme.messages)  # attendance may come before its participant or event
    stream = StreamedFacts(programme, chunk=120)
    watch = PublishedWatch(settings, stream)
    instances = Instances(settings, tmp_path)
    watching = asyncio.create_task(watch.run())
    try:
        yield settings, stream, watch, instances
    finally:
        watching.cancel()
        instances.stop_all()


async def moving(watch: PublishedWatch, timeout_s: float = 60) -> None:
    """Wait until the published figures count some attendance."""
    async with asyncio.timeout(timeout_s):
        await watch.until(lambda figures: figures.attendances > 0)


def report(name: str, watch: PublishedWatch) -> None:
    print(
        f"\n{name}: {watch.snapshots} snapshots checked, {len(watch.generations)} group generations "
        f"(rebalances), largest lag {watch.largest_lag} attendances"
    )


async def test_three_instances_stay_exact_through_a_kill_a_replacement_a_fourth_and_two_stopped(
    watched: tuple[MetricsSettings, StreamedFacts, PublishedWatch, Instances],
) -> None:
    settings, stream, watch, instances = watched
    await instances.start("a", "b", "c")
    sending = asyncio.create_task(stream.send(settings, pause_s=0.25))
    await moving(watch)

    instances.kill("b")  # SIGKILL: its partitions wait for its session to expire
    await instances.start("d")
    await asyncio.sleep(4)
    await instances.start("e")
    await asyncio.sleep(4)
    await instances.stop("a", "c")
    await sending
    final = await watch.wait_for(expected_figures(stream.programme), timeout_s=60)

    report("kill, replace, add, stop two", watch)
    assert watch.excesses == []
    assert final.attendances == stream.expected()["counters"]["attendances"] > 5000
    assert set(watch.owners.values()) == {"d", "e"}, "the two instances left own every partition"
    assert final.partner_names == stream.programme.partner_names  # each new merger read the partners topic
    assert len(watch.generations) >= 2


async def test_a_rolling_update_stays_exact(
    watched: tuple[MetricsSettings, StreamedFacts, PublishedWatch, Instances],
) -> None:
    settings, stream, watch, instances = watched
    await instances.start("old-1", "old-2")
    sending = asyncio.create_task(stream.send(settings, pause_s=0.15))
    await moving(watch)

    for old, new in (("old-1", "new-1"), ("old-2", "new-2")):  # maxSurge 1, maxUnavailable 0
        await instances.start(new)
        await asyncio.sleep(2)
        await instances.stop(old)
    await sending
    final = await watch.wait_for(expected_figures(stream.programme), timeout_s=60)

    report("rolling update", watch)
    assert watch.excesses == []
    assert final.attendances == stream.expected()["counters"]["attendances"]
    assert set(watch.owners.values()) == {"new-1", "new-2"}
    assert final.partner_names == stream.programme.partner_names
