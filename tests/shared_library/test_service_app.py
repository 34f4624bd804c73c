"""A service's app: it serves and documents its routers' routes, and its start leaves what it built out of
the garbage collector's full passes until it stops."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import REGISTRY
from testkit.collector import walked_by_collector

from shared.runtime import service_app
from shared.runtime.heap import FULL_PASS_EVERY
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import BaseServiceSettings


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """A service's start freezes the heap and sets the collector's thresholds for the process: undone after."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("collector_restored")
async def test_what_a_service_builds_at_start_is_frozen_while_it_runs(
    make_settings: Callable[..., Any],
) -> None:
    built: list[object] = []

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        built.append(["held for the process's life"])

    app = create_service_app(make_settings(BaseServiceSettings), title="start", setup=setup)
    async with app.router.lifespan_context(app):
        later = ["made after start"]
        assert not walked_by_collector(built[0])
        assert walked_by_collector(later)
        assert gc.get_threshold()[2] == FULL_PASS_EVERY
    assert walked_by_collector(built[0])  # stopped: a process that goes on can free it


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("returned", [True, False])
async def test_a_service_gives_large_buffers_back_unless_its_settings_keep_them(
    make_settings: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, returned: bool
) -> None:
    # What each choice does to the process is test_allocator's.
    asked: list[bool] = []
    monkeypatch.setattr(service_app, "return_large_buffers", lambda: asked.append(True) or True)
    app = create_service_app(
        make_settings(BaseServiceSettings, return_large_buffers=returned), title="buffers"
    )
    async with app.router.lifespan_context(app):
        pass
    assert asked == ([True] if returned else [])


def _parts_router(checked: list[str]) -> APIRouter:
    async def check(part_id: str) -> None:
        checked.append(part_id)

    router = APIRouter(prefix="/v1/parts", tags=["parts"], dependencies=[Depends(check)])

    @router.get("/{part_id}")
    async def part(part_id: str) -> dict[str, str]:
        return {"part": part_id}

    return router


async def test_a_routers_routes_are_served_and_documented_with_its_prefix_tags_and_dependencies() -> None:
    checked: list[str] = []
    settings = BaseServiceSettings(service_name="routes", topic_prefix="routes.")
    app = create_service_app(settings, title="routes", routers=[_parts_router(checked)])
    series = {"method": "GET", "status": "2xx", "handler": "/v1/parts/{part_id}"}
    counted_before = REGISTRY.get_sample_value("http_requests_total", series) or 0.0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        served = await client.get("/v1/parts/p1")
        health = await client.get("/healthz")
        documented = (await client.get("/openapi.json")).json()

    assert served.status_code == 200
    assert served.json() == {"part": "p1"}
    assert checked == ["p1"]
    assert re.fullmatch("[0-9a-f]{32}", served.headers["x-request-id"])  # the app's middleware ran
    assert REGISTRY.get_sample_value("http_requests_total", series) == counted_before + 1  # by its template
    assert health.status_code == 200
    assert documented["paths"]["/v1/parts/{part_id}"]["get"]["tags"] == ["parts"]
    assert "/healthz" not in documented["paths"]


def test_a_router_with_event_handlers_is_refused_rather_than_served_without_them() -> None:
    def started() -> None:
        return None

    router = APIRouter(on_startup=[started])
    settings = BaseServiceSettings(service_name="routes", topic_prefix="routes.")
    with pytest.raises(ValueError, match="startup or shutdown handlers"):
        create_service_app(settings, title="routes", routers=[router])
