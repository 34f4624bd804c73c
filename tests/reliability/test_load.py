"""A short sustained-load run through the gateway (bench/load_mixed.py runs the long one)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
from testkit.private_platform import PrivatePlatform

pytestmark = [pytest.mark.e2e, pytest.mark.load]
DURATION_S = float(os.environ.get("PULSE_LOAD_SECONDS", "20"))
RATE = float(os.environ.get("PULSE_LOAD_RATE", "15"))


def load_mixed() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "load_mixed.py"
    spec = importlib.util.spec_from_file_location("load_mixed", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


async def test_mixed_traffic_at_a_fixed_rate_without_errors_or_memory_growth(
    services_platform: PrivatePlatform,
) -> None:
    bench = load_mixed()
    pids = {s: services_platform.service_pid(s) for s in bench.SERVICES}
    results = await bench.run_load(
        services_platform.gateway_url,
        services_platform.admin_key,
        {s: pid for s, pid in pids.items() if pid},
        DURATION_S,
        RATE,
    )
    print("\n" + results.table())
    assert results.sent >= DURATION_S * RATE * 0.9
    assert {route: results.errors(route) for route in bench.MIX if results.errors(route)} == {}
    assert all(growth <= bench.MAX_RSS_GROWTH_MIB for growth in results.rss_growth().values())
