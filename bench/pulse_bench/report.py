"""Results as JSON under bench/results/ and as the table of docs/performance.md."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "bench" / "results"
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- bench:results -->", "<!-- /bench:results -->"


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "bench", "shared", "services"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except OSError:
        return "unknown"


def write_json(results: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def _yes(flag: bool) -> str:
    return "met" if flag else "**not met**"


def table(results: dict[str, Any], json_name: str) -> str:
    b = results["benchmarks"]
    m = results["machine"]
    rows = [
        "| benchmark | ours | floor (same run) | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    if "bulk_ingest" in b:
        x = b["bulk_ingest"]
        rows.append(
            f"| 1. bulk ingest, {x['records']:,} records, {x['clients']} clients × {x['batch']:,}-record batches, "
            f"until the gateway's counters show them | {x['records_per_s']:,} records/s "
            f"(accepted at {x['accepted_per_s']:,}/s) | {x['floor']['records_per_s']:,} records/s "
            f"(insert_many {x['floor']['insert_many_per_s']:,}/s, produce {x['floor']['kafka_produce_per_s']:,}/s) "
            f"| {x['ratio_to_floor']:.2f} | ≥ 0.8 of floor | {_yes(x['targets']['ratio_to_floor >= 0.8'])} |"
        )
        ours_us, floor_us = x["cpu_us_per_record_by_process"], x["floor"]["cpu_us_per_record"]
        rows.append(
            "| 1. bulk ingest, CPU per record | "
            + ", ".join(f"{name} {us} µs" for name, us in ours_us.items())
            + " | "
            + ", ".join(f"{name} {us} µs" for name, us in floor_us.items())
            + f" | – | events ≤ 25 µs | {_yes(x['targets']['events CPU <= 25 us per record'])} |"
        )
        indexed = x["floor"]["insert_many_with_our_indexes"]
        rows.append(
            "| 1. bulk ingest, the floor's insert_many into a collection with the attendance collection's "
            f"indexes | – | {indexed['per_s']:,} records/s, FerretDB {indexed['ferretdb_cpu_us_per_record']} µs "
            f"per record (the floor's own: {x['floor']['insert_many_per_s']:,}/s, {floor_us['ferretdb']} µs) "
            "| – | – | – |"
        )
    if "door_checkins" in b:
        x = b["door_checkins"]
        o, f, t = x["ours"], x["floor"], x["targets"]
        by_process = x["cpu_ms_per_checkin_by_process"]
        shares = ", ".join(f"{name} {ms}" for name, ms in by_process.items() if name != "total")
        rows.append(
            f"| 2. door check-ins, open loop {x['rate_per_s']:g}/s for {x['duration_s']:g} s over {x['doors']} doors "
            f"| p50 {o['p50_ms']} / p95 {o['p95_ms']} / p99 {o['p99_ms']} / max {o['max_ms']} ms "
            f"(answers: {_statuses(o['statuses'])}) "
            f"| p50 {f['p50_ms']} / p95 {f['p95_ms']} / p99 {f['p99_ms']} / max {f['max_ms']} ms "
            f"| p50 ×{x['p50_ratio_to_floor']}, p99 ×{x['p99_ratio_to_floor']} | p50 ≤ 3× floor; p99 ≤ 5× floor | "
            f"{_yes(t['p50 <= 3x floor'])}; {_yes(t['p99 <= 5x floor'])} |"
        )
        rows.append(
            f"| 2. door check-ins, platform CPU per check-in | {x['cpu_ms_per_checkin']} ms ({shares}) "
            f"| {x['floor_cpu_ms_per_request']} ms (the bare app's process) | – | ≤ 2.0 ms "
            f"| {_yes(t['platform CPU <= 2.0 ms per check-in'])} |"
        )
        idle, parts = x["idle_cpu_ms_per_s"], x["part_floors"]
        idle_parts = ", ".join(f"{name} {ms}" for name, ms in idle.items() if name != "total")
        rows.append(
            f"| 2. door check-ins, what no change in our code lowers | idle platform {idle['total']} ms of CPU "
            f"per s ({idle_parts}): {x['idle_share_ms_per_checkin']} ms per check-in at this rate "
            f"| FerretDB {parts['ferretdb_ms_per_insert_one']} ms per `insert_one` and "
            f"{parts['ferretdb_ms_per_find']} per look-up, Kafka {parts['kafka_ms_per_produce']} ms per "
            "produce (acks=all), idle taken off | – | – | – |"
        )
        least = x["least_cpu_ms_per_checkin"]
        parts_text = ", ".join(f"{name} {ms}" for name, ms in least.items() if name != "total")
        infra = x["infrastructure_idle_ms_per_checkin"]
        floor = round(least["total"] + infra, 2)
        rows.append(
            f"| 2. door check-ins, the least a check-in can cost here | – | {floor} ms: {least['total']} ms "
            f"({parts_text}) and Kafka's and FerretDB's idle CPU ({infra} ms), before our services' idle CPU "
            f"and metrics | – | ≤ 2.0 ms | {_yes(floor <= 2.0)} (so the goal is "
            f"{'' if floor <= 2.0 else 'not '}reachable) |"
        )
        least_l = x["least_latency"]
        parts_text = ", ".join(
            f"{name} {ms['p50']} / {ms['p99']}" for name, ms in least_l["parts_ms"].items()
        )
        reachable = least_l["p50_ratio_to_floor"] <= 3 and least_l["p99_ratio_to_floor"] <= 5
        rows.append(
            f"| 2. door check-ins, the least a check-in can take here | – | p50 {least_l['p50_ms']} / "
            f"p99 {least_l['p99_ms']} ms: one draw of each part's latency paced alone, summed (p50 / p99 "
            f"ms: {parts_text}) | p50 ×{least_l['p50_ratio_to_floor']}, p99 ×{least_l['p99_ratio_to_floor']} "
            f"| p50 ≤ 3× floor; p99 ≤ 5× floor | {_yes(reachable)} (so the goals are "
            f"{'' if reachable else 'not both '}reachable) |"
        )
        d, forward = x["events_direct"], least_l["parts_ms"]["forward"]
        rows.append(
            f"| 2. door check-ins, the same sent straight to events for {d['seconds']:g} s, with the principal "
            f"the gateway signs | p50 {d['p50_ms']} / p95 {d['p95_ms']} / p99 {d['p99_ms']} / max {d['max_ms']} "
            f"ms (answers: {_statuses(d['statuses'])}) | the gateway's forward alone: p50 {forward['p50']} / "
            f"p99 {forward['p99']} ms | the gateway's hop: +{round(o['p50_ms'] - d['p50_ms'], 2)} ms at p50, "
            f"+{round(o['p99_ms'] - d['p99_ms'], 2)} at p99 | – | – |"
        )
        if x.get("database_commands_per_checkin"):
            sent = ", ".join(f"{name} {n}" for name, n in x["database_commands_per_checkin"].items())
            rows.append(
                f"| 2. door check-ins, database commands per check-in | {sent} | 1 insert | – | – | – |"
            )
    if "freshness" in b:
        x = b["freshness"]
        rows.append(
            f"| 3. freshness, 201 → SSE, {x['checkins']:,} check-ins at {x['rate_per_s']:g}/s "
            f"| p50 {x['p50_ms']} / p95 {x['p95_ms']} / p99 {x['p99_ms']} / max {x['max_ms']} ms | – | – "
            f"| p50 ≤ 100 ms; p99 ≤ 300 ms | {_yes(x['targets']['p50 <= 100 ms'])}; "
            f"{_yes(x['targets']['p99 <= 300 ms'])} |"
        )
    if "counter_reads" in b:
        x = b["counter_reads"]
        rows.append(
            f"| 4. `GET /v1/programme/counters`, {x['clients']} clients, {x['duration_s']:g} s "
            f"| {x['ours']['requests_per_s']:,} req/s | {x['floor']['requests_per_s']:,} req/s (bare `/hello`) "
            f"| {x['ratio_to_floor']:.2f} | ≥ 0.95 of bare | {_yes(x['targets']['ratio_to_floor >= 0.95'])} |"
        )
    if "idle_sse" in b:
        x = b["idle_sse"]
        cpu, rss, t = x["gateway_cpu_ms_per_s"], x["gateway_rss_mib"], x["targets"]
        rows.append(
            f"| 8. {x['clients']:,} idle SSE clients on the counters stream, {x['seconds']:g} s "
            f"| gateway CPU {cpu['with']} ms/s; RSS {rss['connected']} MiB once connected and {rss['settled']} MiB "
            f"{x['settle_s']:g} s later ({x['rss_kib_per_client']} KiB per client), {rss['after_idle_window']} MiB "
            f"at the window's end, {rss['closed']} MiB once closed | {cpu['without']} ms/s, {rss['before']} MiB without streams | – "
            f"| CPU ≤ +10 ms/s; RSS flat while idle (≤ 1 MiB) | "
            f"{_yes(t['CPU with clients <= without + 10 ms/s'])}; "
            f"{_yes(t['memory flat while idle (<= 1 MiB growth)'])} |"
        )
    if "catch_up" in b:
        x = b["catch_up"]
        rows.append(
            f"| 5. metrics catch-up, backlog of {x['events']:,} events ({x['attendances']:,} attendances) "
            f"| {x['events_per_s']:,} events/s | {x['floor']['raw_consume_per_s']:,} events/s raw consume "
            f"({x['floor']['parsed_consume_per_s']:,}/s with CloudEvent parsing) "
            f"| {x['ratio_to_parsing_floor']:.2f} of the parsing floor; {x['metrics_cpu_us_per_event']} µs of CPU "
            f"per event | ≥ 0.5 of the parsing floor | {_yes(x['targets']['ratio_to_parsing_floor >= 0.5'])} |"
        )
    scale_rows = _metrics_scale(b["metrics_scale"]) if "metrics_scale" in b else []
    memory = results.get("memory_mib", {})
    mem_rows = []
    if memory:
        services = list(next(iter(memory.values())).keys())
        mem_rows = [
            "",
            "Resident memory (MiB) of each service process:",
            "",
            "| after | " + " | ".join(services) + " |",
            "|---|" + "---|" * len(services),
        ]
        for moment, values in memory.items():
            mem_rows.append(f"| {moment} | " + " | ".join(str(values.get(s)) for s in services) + " |")
    head = (
        f"Run of {results['finished_at']} on commit `{results['commit']}`: {m['cores']} cores, "
        f"{m['memory_gib']} GiB, {m['arch']}, Python {m['python']}, load average at start "
        f"{m['load_average_at_start'][0]} (the machine is shared). Sizes: `{results['sizes']}`. "
        f"Raw figures: `bench/results/{json_name}`."
    )
    return "\n".join([head, "", *rows, *scale_rows, *mem_rows])


def update_doc(results: dict[str, Any], json_name: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    block = f"{START}\n{table(results, json_name)}\n{END}"
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    DOC.write_text(text)


def _statuses(statuses: dict[str, int]) -> str:
    """HTTP statuses and how many of each, e.g. `201 × 1,104, 503 × 4,896` (0: no answer)."""
    return ", ".join(f"{status} × {count:,}" for status, count in sorted(statuses.items()))


def _metrics_scale(x: dict[str, Any]) -> list[str]:
    """7. Metrics over 12 partitions: restarts, memory with one and three instances, catch-up per instance."""
    n = x["attendances_per_stage"]

    def ready(stage: dict[str, Any]) -> str:
        return f"{stage['ready_s']} s ({stage['cpu_s']} s CPU), {stage['rss_mib']} MiB"

    three = x["stage1_three_instances"]
    two = x["stage2_catch_up_three_instances"]
    one = x["stage1_catch_up_one_instance"]
    return [
        "",
        f"7. Metrics over {x['partitions']} partitions, {n:,} attendances per stage (an instance is ready when "
        "it has published every partition it owns up to the end of its topics; resident memory then):",
        "",
        "| measure | figure | goal |",
        "|---|---|---|",
        f"| one instance catching up {n:,} attendances from nothing | {one['events_per_s']:,} events/s, "
        f"{one['cpu_us_per_event']} µs of CPU per event, {one['rss_mib']} MiB | – |",
        f"| restart before any snapshot ({n:,}) | {ready(x['stage1_restart_before_snapshot'])} | – |",
        f"| restart after a snapshot ({n:,}) | {ready(x['stage1_restart_after_snapshot'])} | ≤ 5 s |",
        f"| restart after a snapshot ({2 * n:,} of history, the same live state) "
        f"| {ready(x['stage2_restart_after_snapshot'])} | ≤ 5 s, not growing |",
        f"| restart after a snapshot ({2 * n:,} distinct) | {ready(x['stage3_restart_after_snapshot'])} | – |",
        "| three instances restored together: memory each against one instance's "
        f"| {', '.join(str(i['rss_mib']) for i in three.values())} MiB: "
        f"{', '.join(f'{r:.3f}' for r in x['stage1_rss_ratio_three_to_one'])} | ≤ 0.45 each |",
        f"| the least that ratio can be here: a process holding nothing ({x['idle_instance']['rss_mib']} MiB) "
        f"and a third of the partitions' state | {x['stage1_rss_ratio_least']:.3f} | – |",
        f"| three instances restoring and catching up {two['messages']:,} messages of history together "
        f"| {two['events_per_s_per_instance']:,} events/s per instance from their start "
        f"({', '.join(str(i['cpu_us_per_event']) for i in two['instances'].values())} µs of CPU per event) | – |",
    ]
