"""One OpenAPI document for the whole public API: the gateway's routes plus each service's `/v1` paths."""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.domain.access import Upstream
from gateway.routes.upstreams import Upstreams
from shared.contracts.identity import PUBLIC

log = logging.getLogger(__name__)

Document = dict[str, Any]
DESCRIPTION = (
    "The public API of Programme Pulse. Send keys as `Authorization: Bearer <key>`; counters reads need "
    "no key. Errors are RFC 9457 problem details."
)


def merge(own: Document, services: list[Document]) -> Document:
    """The gateway's own document with every service's `/v1` paths and schemas added (own paths win)."""
    merged = copy.deepcopy(own)
    paths: Document = merged.setdefault("paths", {})
    components: Document = merged.setdefault("components", {})
    schemas: Document = components.setdefault("schemas", {})
    for service in services:
        for path, item in service.get("paths", {}).items():
            if path.startswith("/v1/") and path not in paths:
                paths[path] = item
        for name, schema in service.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(name, schema)
    components.setdefault("securitySchemes", {})["apiKey"] = {"type": "http", "scheme": "bearer"}
    merged["security"] = [{"apiKey": []}, {}]
    return merged


async def _fetch(upstreams: Upstreams, upstream: Upstream) -> Document | None:
    try:
        response = await upstreams.send(upstream, "GET", "/openapi.json", principal=PUBLIC, request_id=None)
        if response.status_code == 200:
            document: Document = response.json()
            return document
    except Exception as exc:
        log.info("no OpenAPI document from %s yet: %s", upstream, exc)
    return None


async def keep_openapi_current(app: FastAPI, upstreams: Upstreams, interval_s: float) -> None:
    """Refresh the served document periodically; a service that is down keeps its last known paths."""
    known: dict[Upstream, Document] = {}
    while True:
        fetched = await asyncio.gather(*(_fetch(upstreams, u) for u in Upstream))
        for upstream, document in zip(Upstream, fetched, strict=True):
            if document is not None:
                known[upstream] = document
        own = get_openapi(title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes)
        merged = merge(own, list(known.values()))
        # FastAPI regenerates a stored openapi_schema whenever its routes version differs, so the merged
        # document is served by replacing the method, as FastAPI's docs show for custom documents.
        app.openapi = functools.partial(dict, merged)  # type: ignore[method-assign]
        await asyncio.sleep(interval_s)
