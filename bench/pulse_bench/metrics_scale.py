"""Metrics scaled out over 12 partitions: memory per instance, restart time, catch-up per instance.

Stage 0: an instance holding nothing, for the memory of the process alone.
Stage 1: a backlog of N attendances, caught up by one instance storing no snapshot; that instance restarted
(every partition restored from its segments, fact by fact); one instance storing snapshots; restarted
again (from the snapshots); then three instances started together (each restores four partitions).
Stage 2: N more attendances of history that add no live state (every attendance re-sent, every participant
updated as they were), produced while no instance runs, then caught up by three started together; one
instance restarted from the new snapshots.
Stage 3: N distinct new attendances (new people and events), caught up and restarted from snapshots.
An instance is ready when it has published, for each partition it owns, a partial covering the partition's
end offsets; the merged counters are then compared with a recomputation.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from testkit import principals
from testkit.facts import GeneratedProgramme, Message, expected_figures, generate_programme, observed_figures
from testkit.metrics_kit import MetricsProcess, produce, read_published

from metrics.config import MetricsSettings
from pulse_bench.stack import cpu_seconds, rss_mib
from shared.contracts.counters import CountersSnapshot
from shared.contracts.partials import PartitionPartial
from shared.contracts.payloads import ATTENDANCE_RECORDED, PARTICIPANT_UPDATED
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.client import make_mongo_client

PARTITIONS = 12
LOGS = {"PULSE_LOG_LEVEL": "INFO"}
NEVER = LOGS | {
    "PULSE_COMPACTION_MIN_TAIL": str(10**9),
    "PULSE_COMPACTION_MAX_SEGMENTS": str(10**9),
    "PULSE_COMPACTION_QUIET_S": str(10**6),
}
SOON = LOGS | {"PULSE_COMPACTION_QUIET_S": "2"}
Ends = dict[int, tuple[int, int]]


class Published:
    """Every partial and counters snapshot as it is published, with when it arrived."""

    def __init__(self, settings: MetricsSettings) -> None:
        self._settings = settings
        # (owner, partition) -> when each of its partials arrived, and the offsets it covered
        self.arrivals: dict[tuple[str, int], list[tuple[float, int, int]]] = {}
        self.owner: dict[int, str] = {}
        self.ends: Ends = {}
        self.largest_partial = 0
        self.counters: CountersSnapshot | None = None
        self.arrived = asyncio.Event()

    async def run(self) -> None:
        await read_published(self._settings, self._take)

    def _take(self, value: bytes) -> None:
        self.arrived.set()
        event = json.loads(value)
        if event["type"] == "pulse.counters.snapshot.v1":
            self.counters = CountersSnapshot.model_validate(event["data"])
            return
        self.largest_partial = max(self.largest_partial, len(value))
        partial = PartitionPartial.model_validate(event["data"])
        self.owner[partial.partition] = partial.owner
        covers = partial.covers
        arrival = (time.monotonic(), covers.participants, covers.attendance)
        self.arrivals.setdefault((partial.owner, partial.partition), []).append(arrival)

    def ready_at(self, owners: set[str]) -> dict[str, float] | None:
        """When each instance had published every partition it owns, covering its end; None until then."""
        if not self.ends or {self.owner.get(p) for p in self.ends} != owners:
            return None  # some partition is not (yet) with the instances named, or one of them has none
        times: dict[str, float] = {}
        for partition, (participants, attendance) in self.ends.items():
            owner = self.owner[partition]
            covering = [
                at
                for at, p, a in self.arrivals.get((owner, partition), [])
                if p >= participants and a >= attendance
            ]
            if not covering:
                return None
            times[owner] = max(times.get(owner, 0.0), covering[0])
        return times


async def fact_ends(settings: MetricsSettings) -> Ends:
    consumer = AIOKafkaConsumer(**settings.kafka.client_options())
    await consumer.start()
    try:
        topics = (settings.topics.participants, settings.topics.attendance)
        tps = [TopicPartition(t, p) for t in topics for p in range(PARTITIONS)]
        ends = await consumer.end_offsets(tps)
    finally:
        await consumer.stop()
    return {
        p: (ends[TopicPartition(topics[0], p)], ends[TopicPartition(topics[1], p)]) for p in range(PARTITIONS)
    }


class Scale:
    def __init__(self, settings: MetricsSettings, folder: Path, published: Published) -> None:
        self.settings = settings
        self.folder = folder
        self.published = published
        self.running: dict[str, MetricsProcess] = {}

    def start(self, name: str, env: dict[str, str]) -> float:
        process = MetricsProcess(self.settings, self.folder / f"{name}.log", instance_id=name, env=env)
        process.start()
        self.running[name] = process
        return time.monotonic()

    async def ready(self, names: set[str], started: float, timeout_s: float = 1800) -> dict[str, Any]:
        """Seconds from `started` until each instance was ready, and its memory and CPU then."""
        async with asyncio.timeout(timeout_s):
            while (times := self.published.ready_at(names)) is None:
                await self.published.arrived.wait()
                self.published.arrived.clear()
        await asyncio.sleep(2)  # let memory settle after the restore
        return {
            name: {
                "ready_s": round(times.get(name, started) - started, 2),
                "partitions": sorted(p for p, owner in self.published.owner.items() if owner == name),
                "rss_mib": rss_mib(self.running[name].pid),
                "cpu_s": round(cpu_seconds(self.running[name].pid), 2),
                "merger": await self.merging(name),
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
            for name in sorted(names)
        }

    async def merging(self, name: str) -> bool:
        async with httpx.AsyncClient(timeout=5) as client:
            text = (await client.get(f"{self.running[name].url}/metrics")).text
        return "pulse_metrics_merging 1.0" in text

    async def stop(self, *names: str) -> None:
        await asyncio.gather(*(asyncio.to_thread(self.running.pop(n).stop) for n in names))

    async def compacted(self, ends: Ends, timeout_s: float = 600) -> float:
        """Seconds until every partition's head snapshot covers its end offsets."""
        started = time.monotonic()
        mongo = make_mongo_client(self.settings.mongo_url)
        heads = mongo[self.settings.database_name]["partition_heads"]
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    found = {h["_id"]: h async for h in heads.find({})}
                    if all(
                        p in found
                        and found[p]["participants_offset"] >= end[0]
                        and found[p]["attendance_offset"] >= end[1]
                        for p, end in ends.items()
                    ):
                        return round(time.monotonic() - started, 1)
                    await asyncio.sleep(0.5)
        finally:
            await mongo.close()

    async def exact(self, wanted: dict[str, Any], timeout_s: float = 120) -> bool:
        """Whether the merged counters come to equal the recomputation."""
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    counters = self.published.counters
                    if counters is not None and observed_figures(counters.exact) == wanted:
                        return True
                    await asyncio.sleep(0.5)
        except TimeoutError:
            return False


def history_without_live_state(programme: GeneratedProgramme) -> list[Message]:
    """Every attendance message again, and every participant updated to what it was."""
    again = [m for m in programme.messages if m.type == ATTENDANCE_RECORDED]
    updates = [
        Message(
            "participants",
            p.participant_id,
            PARTICIPANT_UPDATED,
            p.model_copy(update={"version": p.version + 1}),
        )
        for p in programme.participants.values()
    ]
    return again + updates


def summed(a: Any, b: Any) -> Any:
    """Figures of two programmes with nothing in common, added cell by cell (None: not in one of them)."""
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        return {k: summed(a.get(k), b.get(k)) for k in {*a, *b}}
    return (a or 0) + (b or 0)


async def metrics_scale(
    kafka_bootstrap: str, mongo_url: str, attendances: int, state_dir: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    name = f"scale{uuid.uuid4().hex[:6]}"
    settings = MetricsSettings(
        kafka_bootstrap=kafka_bootstrap,
        mongo_url=mongo_url,
        mongo_db=name,
        topic_prefix=f"{name}.",
        topic_partitions=PARTITIONS,
        principal_public_key=principals.PUBLIC_KEY,  # the instances it starts must start; nothing calls them
    )
    await ensure_topics(settings.kafka, settings.topics, partitions=PARTITIONS, replication=1)
    published = Published(settings)
    watching = asyncio.create_task(published.run())
    scale = Scale(settings, state_dir, published)
    out: dict[str, Any] = {"partitions": PARTITIONS, "attendances_per_stage": attendances}

    def sized(n: int) -> GeneratedProgramme:
        return generate_programme(
            random.Random(n),
            participants=attendances // 10,
            events=max(attendances // 1000, 10),
            attendances=attendances,
        )

    try:
        published.ends = await fact_ends(settings)  # nothing yet
        t = scale.start("idle", SOON)
        out["idle_instance"] = (await scale.ready({"idle"}, t))["idle"]
        await scale.stop("idle")
        log(f"   an instance holding nothing: {out['idle_instance']}")

        first = sized(1)
        wanted = expected_figures(first)
        started = time.perf_counter()
        await produce(settings, first.messages)
        log(f"   stage 1: {len(first.messages):,} messages produced in {time.perf_counter() - started:.0f}s")
        published.ends = await fact_ends(settings)

        t = scale.start("catch-up", NEVER)
        caught = (await scale.ready({"catch-up"}, t))["catch-up"]
        caught["events_per_s"] = round(len(first.messages) / caught["ready_s"])
        caught["cpu_us_per_event"] = round(1e6 * caught["cpu_s"] / len(first.messages), 1)
        out["stage1_catch_up_one_instance"] = caught | {"exact": await scale.exact(wanted)}
        await scale.stop("catch-up")
        log(f"   catch-up: {caught}")

        t = scale.start("before-snapshot", NEVER)
        out["stage1_restart_before_snapshot"] = (await scale.ready({"before-snapshot"}, t))["before-snapshot"]
        await scale.stop("before-snapshot")
        log(f"   restart before a snapshot: {out['stage1_restart_before_snapshot']}")

        t = scale.start("compacting", SOON)
        out["stage1_compacting_instance"] = (await scale.ready({"compacting"}, t))["compacting"]
        out["stage1_compacting_instance"]["snapshots_done_s"] = await scale.compacted(published.ends)
        await scale.stop("compacting")

        t = scale.start("after-snapshot", SOON)
        out["stage1_restart_after_snapshot"] = (await scale.ready({"after-snapshot"}, t))["after-snapshot"]
        await scale.stop("after-snapshot")
        log(f"   restart after a snapshot: {out['stage1_restart_after_snapshot']}")

        three = {"one", "two", "three"}
        t = time.monotonic()
        for n in sorted(three):
            scale.start(n, SOON)
        out["stage1_three_instances"] = await scale.ready(three, t)
        single = out["stage1_restart_after_snapshot"]["rss_mib"]
        out["stage1_rss_ratio_three_to_one"] = [
            round(x["rss_mib"] / single, 3) for x in out["stage1_three_instances"].values()
        ]
        # Each of three holding a process's own memory and exactly a third of the partitions' state
        idle = out["idle_instance"]["rss_mib"]
        out["stage1_rss_ratio_least"] = round((idle + (single - idle) / 3) / single, 3)
        log(f"   three instances: {out['stage1_three_instances']}")

        await scale.stop(*three)
        history = history_without_live_state(first)
        await produce(settings, history)
        published.ends = await fact_ends(settings)
        t = time.monotonic()
        for n in sorted(three):
            scale.start(n, SOON)
        stage2 = await scale.ready(three, t)
        seconds = max(x["ready_s"] for x in stage2.values())
        for x in stage2.values():
            x["cpu_us_per_event"] = round(1e6 * x["cpu_s"] / (len(history) / 3), 1)
        out["stage2_catch_up_three_instances"] = {
            "messages": len(history),
            "seconds_from_start": seconds,
            "events_per_s_per_instance": round(len(history) / 3 / seconds),
            "instances": stage2,
            "exact": await scale.exact(wanted),
        }
        await scale.compacted(published.ends)
        await scale.stop(*three)
        log(f"   stage 2 catch-up: {out['stage2_catch_up_three_instances']}")

        t = scale.start("after-history", SOON)
        out["stage2_restart_after_snapshot"] = (await scale.ready({"after-history"}, t))["after-history"]
        log(f"   restart after 2N of history: {out['stage2_restart_after_snapshot']}")

        del history
        second = sized(2)
        second_wanted = expected_figures(second)
        del first
        t = time.monotonic()
        await produce(settings, second.messages)
        published.ends = await fact_ends(settings)
        out["stage3_catch_up_one_instance"] = (await scale.ready({"after-history"}, t))["after-history"]
        out["stage3_catch_up_one_instance"]["exact"] = await scale.exact(summed(wanted, second_wanted))
        await scale.compacted(published.ends)
        await scale.stop("after-history")

        t = scale.start("after-distinct", SOON)
        out["stage3_restart_after_snapshot"] = (await scale.ready({"after-distinct"}, t))["after-distinct"]
        await scale.stop("after-distinct")
        log(f"   restart after 2N distinct: {out['stage3_restart_after_snapshot']}")
        out["largest_partial_bytes"] = published.largest_partial
        return out
    finally:
        watching.cancel()
        await scale.stop(*list(scale.running))
        mongo = make_mongo_client(mongo_url)
        await mongo.drop_database(name)
        await mongo.close()
