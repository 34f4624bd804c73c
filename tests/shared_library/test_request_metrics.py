"""Per-request metrics: one series per route template and status class, whatever the path or outcome."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from prometheus_client import REGISTRY

from shared.http.request_metrics import metrics_router
from shared.http.request_middleware import RequestMiddleware


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestMiddleware)
    app.include_router(metrics_router())
    router = APIRouter()

    @router.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @router.post("/v1/things/{thing_id}/break")
    async def fail(thing_id: str) -> None:
        raise RuntimeError(f"broke {thing_id}")

    app.include_router(router)
    return app


def _count(method: str, status: str, handler: str) -> float:
    labels = {"method": method, "status": status, "handler": handler}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def _latencies(method: str, handler: str) -> float:
    labels = {"method": method, "handler": handler}
    return REGISTRY.get_sample_value("http_request_duration_seconds_count", labels) or 0.0


async def test_requests_are_counted_by_route_template_method_and_status_class() -> None:
    before = {
        "ok": _count("GET", "2xx", "/v1/things/{thing_id}"),
        "broken": _count("POST", "5xx", "/v1/things/{thing_id}/break"),
        "unmatched": _count("GET", "4xx", "none"),
        "timed": _latencies("GET", "/v1/things/{thing_id}"),
    }
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        assert (await client.get("/v1/things/a")).status_code == 200
        assert (await client.get("/v1/things/b")).status_code == 200
        assert (await client.post("/v1/things/a/break")).status_code == 500
        assert (await client.get("/somewhere/else")).status_code == 404
        exported = await client.get("/metrics")

    assert _count("GET", "2xx", "/v1/things/{thing_id}") - before["ok"] == 2
    assert _latencies("GET", "/v1/things/{thing_id}") - before["timed"] == 2
    assert _count("POST", "5xx", "/v1/things/{thing_id}/break") - before["broken"] == 1
    assert _count("GET", "4xx", "none") - before["unmatched"] == 1  # not one series per unknown path
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/plain")
    assert 'http_requests_total{handler="/v1/things/{thing_id}",method="GET",status="2xx"}' in exported.text
    assert 'handler="/metrics"' not in exported.text
