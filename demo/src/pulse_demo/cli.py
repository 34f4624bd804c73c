"""`pulse-demo`: load the RESILIENCE demo programme through a running gateway and print its counters."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

from pulse_demo.expected import expected_figures
from pulse_demo.loader import Loader, LoadError
from pulse_demo.programme import Shape, generate


async def run(gateway: str, admin_key: str, scale: float, seed: int, force: bool) -> int:
    shape = Shape() if scale == 1 else Shape().scaled(scale)
    programme = generate(shape, seed)
    expected = expected_figures(programme)
    print(
        f"Loading a programme of {len(programme.events)} events, {len(programme.people):,} people and "
        f"{len(programme.attendance):,} attendances into {gateway}"
    )
    started = time.monotonic()
    async with Loader(gateway, admin_key) as loader:
        current = await loader.counters()
        if current.get("attendances") and not force:
            print(
                f"The platform already holds a programme ({current['attendances']:,} attendances); "
                f"not loading it twice (use --force). Dashboard: {gateway}/"
            )
            return 0
        try:
            await loader.load(programme)
            counters = await loader.wait_for_counters(expected.counters["attendances"])
        except LoadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(
        f"Loaded in {time.monotonic() - started:.0f}s. Answers: {dict(sorted(loader.tally.statuses.items()))}"
    )
    headline = {name: counters.get(name) for name in expected.counters}
    print("Gateway counters:", json.dumps(headline))
    if headline != expected.counters:
        print(f"error: expected {expected.counters}", file=sys.stderr)
        return 1
    print(f"Dashboard: {gateway}/")
    return 0


async def fetch_report(gateway: str, admin_key: str, exact: bool) -> bytes | None:
    """The programme report as a PDF (the public figures, or the exact ones); None when not served."""
    headers = {"Authorization": f"Bearer {admin_key}"} if exact else {}
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as client:
        response = await client.get("/v1/programme/report", params={"format": "pdf"}, headers=headers)
    if response.status_code != 200 or response.headers.get("content-type") != "application/pdf":
        print(
            f"error: the report was not served ({response.status_code}): {response.text[:300]}",
            file=sys.stderr,
        )
        return None
    return response.content


def write_report(gateway: str, admin_key: str, out: Path, exact: bool) -> int:
    pdf = asyncio.run(fetch_report(gateway, admin_key, exact))
    if pdf is None:
        return 1
    out.write_bytes(pdf)
    kind = "exact figures, not for publication" if exact else "public figures"
    print(f"Wrote the programme report ({kind}, {len(pdf):,} bytes) to {out}")
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pulse-demo", description=__doc__)
    parser.add_argument("--gateway", default=os.environ.get("PULSE_GATEWAY_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--admin-key", default=os.environ.get("PULSE_ADMIN_KEY"))
    parser.add_argument("--admin-key-file", type=Path, default=Path(".pulse/dev/admin-key"))
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is RESILIENCE's size; 0.05 is quick")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="load even if the platform already holds data")
    parser.add_argument("--report", type=Path, help="write the programme report PDF here instead of loading")
    parser.add_argument("--exact", action="store_true", help="with --report: the exact (admin) figures")
    args = parser.parse_args(argv)
    key = args.admin_key or (
        args.admin_key_file.read_text().strip() if args.admin_key_file.exists() else None
    )
    if not key:
        parser.error("give --admin-key or PULSE_ADMIN_KEY (make up prints it)")
    if args.report:
        raise SystemExit(write_report(args.gateway, key, args.report, args.exact))
    raise SystemExit(asyncio.run(run(args.gateway, key, args.scale, args.seed, args.force)))
