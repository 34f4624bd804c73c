"""A service's start leaves what it built out of the garbage collector's full passes, until it stops."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from testkit.collector import walked_by_collector

from shared.heap import FULL_PASS_EVERY
from shared.http.service_app import Runtime, create_service_app
from shared.settings import BaseServiceSettings


async def test_what_a_service_builds_at_start_is_frozen_while_it_runs(
    make_settings: Callable[..., Any],
) -> None:
    built: list[object] = []

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        built.append(["held for the process's life"])

    app = create_service_app(make_settings(BaseServiceSettings), title="start", setup=setup)
    threshold = gc.get_threshold()
    try:
        async with app.router.lifespan_context(app):
            later = ["made after start"]
            assert not walked_by_collector(built[0])
            assert walked_by_collector(later)
            assert gc.get_threshold()[2] == FULL_PASS_EVERY
        assert walked_by_collector(built[0])  # stopped: a process that goes on can free it
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
