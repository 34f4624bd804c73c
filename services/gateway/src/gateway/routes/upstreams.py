"""One pooled HTTP client per service, and forwarding a request to it with the caller's identity."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from starlette.responses import Response
from yarl import URL

from gateway.config import GatewaySettings
from gateway.domain.access import Upstream
from gateway.domain.errors import UpstreamTimedOut, UpstreamUnavailable
from shared.contracts.identity import Principal, Scope
from shared.http.identity import PRINCIPAL_HEADER
from shared.http.request_id import REQUEST_ID_HEADER
from shared.principal_tokens import PrincipalSigner

log = logging.getLogger(__name__)

# Only these request headers travel upstream: the caller's own x-pulse-principal never does (the gateway
# sends its own, signed for the one service it goes to).
_FORWARDED_REQUEST_HEADERS = (
    "content-type",
    "accept",
    "accept-language",
    "if-none-match",
    "last-event-id",
    "idempotency-key",  # the services derive the ids of what they create from it (docs/api.md)
)
_RETURNED_RESPONSE_HEADERS = (
    "content-type",
    "content-disposition",
    "location",
    "cache-control",
    "etag",
    "retry-after",
    "content-language",
)
# Reserved characters keep their meaning; anything else (spaces, control characters, non-ASCII) is escaped.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?%"
# Below uvicorn's 5 s keep-alive, so we drop an idle connection before the service closes it under us.
_KEEPALIVE_S = 3.0


@dataclass(frozen=True)
class UpstreamAnswer:
    """A service's answer, read whole."""

    status_code: int
    headers: Mapping[str, str]  # lower-case names; values as latin-1, so they go back out byte for byte
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


class Upstreams:
    """Pooled clients with connect and read timeouts, so a slow or dead service never hangs a request."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._signer = PrincipalSigner(settings.principal_private_key.get_secret_value())
        # aiohttp rather than httpx: a proxied request cost ~2.6 ms of CPU in httpx's pool against ~0.26 ms
        # (20 connections, small bodies, measured side by side), most of a check-in's cost in the gateway.
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=settings.upstream_connect_timeout_s,
            sock_read=settings.upstream_read_timeout_s,
        )
        # As many kept alive as may be open: closing and reopening connections under load costs CPU on
        # both ends. Requests beyond them wait on a semaphore with a deadline, then are refused as busy.
        connections = settings.upstream_connections
        self._wait_s = settings.upstream_connect_timeout_s
        urls = {
            Upstream.REGISTRATION: settings.registration_url,
            Upstream.EVENTS: settings.events_url,
            Upstream.METRICS: settings.metrics_url,
        }
        self._bases = {name: URL(url.rstrip("/")) for name, url in urls.items()}
        self.sessions = {
            name: aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=connections, keepalive_timeout=_KEEPALIVE_S),
                timeout=timeout,
                auto_decompress=True,
                skip_auto_headers=("Content-Type",),  # a body without one is forwarded without one
            )
            for name in urls
        }
        self._slots = {name: asyncio.Semaphore(connections) for name in urls}

    async def close(self) -> None:
        for session in self.sessions.values():
            await session.close()

    async def send(
        self,
        upstream: Upstream,
        method: str,
        path: str,
        *,
        principal: Principal,
        request_id: str | None,
        query: str = "",
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> UpstreamAnswer:
        """Send one request; connection failures become 503 and timeouts 504 problem details.

        `path` is decoded (as routed) and escaped again here; `query` is forwarded as received. The URL
        is not normalised, so the service routes exactly the path the gateway decided on.
        """
        out = {k: v for k, v in (headers or {}).items() if k.lower() in _FORWARDED_REQUEST_HEADERS}
        if principal.scope is not Scope.PUBLIC:  # no principal is the public's
            out[PRINCIPAL_HEADER] = self._signer.token(principal, upstream.value)
        if request_id:
            out[REQUEST_ID_HEADER] = request_id
        base = self._bases[upstream]
        url = URL.build(
            scheme=base.scheme,
            host=base.raw_host or "",
            port=base.explicit_port,
            path=base.raw_path.rstrip("/") + quote(path, safe=_PATH_SAFE),
            query_string=quote(query, safe=_QUERY_SAFE),
            encoded=True,
        )
        slot = self._slots[upstream]
        try:
            async with asyncio.timeout(self._wait_s):
                await slot.acquire()
        except TimeoutError as exc:
            # Never sent, so safe to retry: 503, unlike a request the service may have applied (504).
            log.warning(
                "%s busy on %s %s: no connection free in %.1f s", upstream, method, path, self._wait_s
            )
            raise UpstreamUnavailable(f"The {upstream} service is busy; try again shortly.") from exc
        try:
            async with self.sessions[upstream].request(
                method, url, data=body or None, headers=out, allow_redirects=False
            ) as response:
                returned = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.raw_headers}
                return UpstreamAnswer(response.status, returned, await response.read())
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            log.warning("%s timed out on %s %s: %r", upstream, method, path, exc)
            raise UpstreamTimedOut(f"The {upstream} service did not answer in time.") from exc
        except aiohttp.ClientError as exc:
            log.warning("%s unreachable on %s %s: %r", upstream, method, path, exc)
            raise UpstreamUnavailable(f"The {upstream} service is unavailable; try again shortly.") from exc
        finally:
            slot.release()

    async def forward(
        self,
        upstream: Upstream,
        method: str,
        path: str,
        *,
        principal: Principal,
        request_id: str | None,
        query: str,
        body: bytes,
        headers: Mapping[str, str],
    ) -> Response:
        """Forward and return the service's answer: status, body and the headers that matter.

        Answers are read whole: the services' bodies are small, and streaming them cost ~20% of the
        gateway's CPU per proxied request.
        """
        started = time.perf_counter()
        response = await self.send(
            upstream,
            method,
            path,
            principal=principal,
            request_id=request_id,
            query=query,
            body=body,
            headers=headers,
        )
        log.info(
            "forwarded %s %s to %s: %d in %.1f ms (key %s)",
            method,
            path,
            upstream,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            principal.key_id or "-",
        )
        returned = {k: v for k, v in response.headers.items() if k in _RETURNED_RESPONSE_HEADERS}
        return Response(response.content, status_code=response.status_code, headers=returned)
