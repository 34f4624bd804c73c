"""One OpenAPI document for the whole public API: the gateway's routes plus each service's `/v1` paths.

The merged document is the contract (docs/api.md): every operation lists each status it can answer,
the gateway adding those it answers itself, and the proxy takes from it which methods a path allows.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from gateway.domain.access import Upstream, target_for
from gateway.domain.idempotency import KEY_PATTERN, MAX_KEY_LENGTH
from gateway.domain.operations import OperationTable
from gateway.routes.upstreams import Upstreams
from shared.contracts.identity import PUBLIC, Scope
from shared.http.api_document import METHODS, generate, problem_answer

log = logging.getLogger(__name__)

Document = dict[str, Any]
DESCRIPTION = (
    "The public API of Programme Pulse. Send keys as `Authorization: Bearer <key>`; counters reads need "
    "no key. Errors are RFC 9457 problem details in `application/problem+json`; each `type` is a page "
    "(`GET /problems/{type}`) saying what it means and what to do. Retry a write that answered 503 or 504, "
    "or none at all, with the same `Idempotency-Key`: the first answer is replayed, never applied twice."
)
# What the gateway itself may answer on any public operation: a bad key, a scope, the body limit, the
# rate limit, and a service down or too slow.
GATEWAY_STATUSES = (401, 403, 413, 429, 503, 504)
REQUIRED_KEY: list[Document] = [{"apiKey": []}]
OPTIONAL_KEY: list[Document] = [{}, {"apiKey": []}]
IDEMPOTENCY_HEADER: Document = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "A unique key per write (a UUID): a retry with the same key and body gets the first answer "
        "replayed (with `Idempotent-Replayed: true`); the same key with another body is refused (422), "
        "and while the first request is in progress a retry is refused (409). Keys are kept 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    "example": "8e03978e-40d5-43e8-bc93-6894a57f9324",
}


@dataclass
class PublicContract:
    """The merged document served at /openapi.json, and its operations by path for the proxy."""

    document: Document = field(default_factory=dict)
    operations: OperationTable = field(default_factory=OperationTable)

    def update(self, document: Document) -> None:
        self.document = document
        self.operations = OperationTable(
            {path: [m for m in item if m in METHODS] for path, item in document.get("paths", {}).items()}
        )


def merge(own: Document, services: list[Document]) -> Document:
    """The gateway's own document with every service's `/v1` paths and schemas added (own paths win)."""
    merged = copy.deepcopy(own)
    paths: Document = merged.setdefault("paths", {})
    components: Document = merged.setdefault("components", {})
    schemas: Document = components.setdefault("schemas", {})
    proxied: set[str] = set()
    for service in services:
        for path, item in service.get("paths", {}).items():
            if path.startswith("/v1/") and path not in paths:
                paths[path] = copy.deepcopy(item)
                proxied.add(path)
        for name, schema in service.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(name, schema)
    for path, item in paths.items():
        for method in METHODS:
            if method in item and path.startswith("/v1/"):
                _as_gateway_answers(method, path, item[method], proxied=path in proxied)
    components.setdefault("securitySchemes", {})["apiKey"] = {"type": "http", "scheme": "bearer"}
    merged.pop("security", None)  # each operation says whether it needs a key
    return merged


def _as_gateway_answers(method: str, path: str, operation: Document, *, proxied: bool) -> None:
    """What the client of this operation may really get back through the gateway."""
    responses: Document = operation.setdefault("responses", {})
    for status in GATEWAY_STATUSES:
        responses.setdefault(str(status), problem_answer(status))
    if "{" in path:  # every path parameter names a resource, which may not exist for this caller
        responses.setdefault("404", problem_answer(404))
    target = target_for(method.upper(), path)
    public = target is not None and Scope.PUBLIC in target.scopes
    operation.setdefault("security", OPTIONAL_KEY if public else REQUIRED_KEY)
    if proxied and method == "post":
        operation.setdefault("parameters", []).append(IDEMPOTENCY_HEADER)
        for status in (400, 409, 422):
            responses.setdefault(str(status), problem_answer(status))


async def _fetch(upstreams: Upstreams, upstream: Upstream) -> Document | None:
    try:
        response = await upstreams.send(upstream, "GET", "/openapi.json", principal=PUBLIC, request_id=None)
        if response.status_code == 200:
            document: Document = response.json()
            return document
    except Exception as exc:
        log.info("no OpenAPI document from %s yet: %s", upstream, exc)
    return None


async def keep_openapi_current(
    app: FastAPI, upstreams: Upstreams, contract: PublicContract, interval_s: float
) -> None:
    """Refresh the served document periodically; a service that is down keeps its last known paths."""
    known: dict[Upstream, Document] = {}
    own = generate(app, DESCRIPTION)
    while True:
        fetched = await asyncio.gather(*(_fetch(upstreams, u) for u in Upstream))
        for upstream, document in zip(Upstream, fetched, strict=True):
            if document is not None:
                known[upstream] = document
        contract.update(merge(own, list(known.values())))
        # FastAPI regenerates a stored openapi_schema whenever its routes version differs, so the merged
        # document is served by replacing the method, as FastAPI's docs show for custom documents.
        app.openapi = functools.partial(dict, contract.document)  # type: ignore[method-assign]
        await asyncio.sleep(interval_s)
