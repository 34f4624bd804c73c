"""One webhook attempt over HTTP: signed per Standard Webhooks, never redirected, never inside the network."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from datetime import datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from gateway.domain.webhook_retries import Outcome, retry_after_seconds
from gateway.domain.webhook_urls import address_refused
from gateway.domain.webhooks import Delivery, Endpoint, signatures

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
USER_AGENT = "ProgrammePulse-Webhooks/1"
_READ_LIMIT = 1024  # of a receiver's answer: only its status matters


class GuardedResolver(AbstractResolver):
    """Resolves names as usual, then drops addresses webhooks may not reach (checked at each connection, so a
    name re-pointed inside the network after it was registered is refused too)."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self._inner = DefaultResolver()
        self._allowed = allowed_hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        kept = [r for r in found if not address_refused(ipaddress.ip_address(r["host"]), host, self._allowed)]
        if not kept:
            raise OSError(f"{host} resolves only to addresses webhooks may not reach")
        return kept

    async def close(self) -> None:
        await self._inner.close()


def new_session(allowed_hosts: Collection[str], connections: int) -> aiohttp.ClientSession:
    """The client of every attempt: no proxies from the environment, no cookies kept between receivers."""
    connector = aiohttp.TCPConnector(limit=connections, resolver=GuardedResolver(allowed_hosts))
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False)


async def send(
    session: aiohttp.ClientSession, endpoint: Endpoint, delivery: Delivery, now: datetime, timeout_s: float
) -> Outcome:
    """POST the delivery's CloudEvent to the endpoint, signed with the secrets in use now; what came of it."""
    timestamp = int(now.timestamp())
    headers = {
        "content-type": CONTENT_TYPE,
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signatures(
            endpoint.secrets_at(now), delivery.message_id, timestamp, delivery.body
        ),
    }
    try:
        async with session.post(
            endpoint.url,
            data=delivery.body,
            headers=headers,
            allow_redirects=False,  # Standard Webhooks: a redirect is a failure (and could lead inside)
            timeout=aiohttp.ClientTimeout(total=timeout_s),
        ) as response:
            await response.content.read(_READ_LIMIT)
            return Outcome(
                status_code=response.status,
                retry_after_s=retry_after_seconds(response.headers.get("retry-after")),
            )
    except TimeoutError:
        return Outcome(error=f"no answer within {timeout_s:g} s")
    except aiohttp.ClientConnectorError as exc:
        return Outcome(error=f"could not connect: {exc.os_error.strerror or exc.os_error}")
    except aiohttp.ClientError as exc:
        return Outcome(error=f"{type(exc).__name__}: {exc}")
