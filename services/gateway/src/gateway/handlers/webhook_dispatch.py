"""The delivery worker: claims due deliveries, sends them, and records how each attempt went.

Every gateway instance runs one. An attempt is claimed before it is made (repository/webhook_deliveries.py),
so two instances never make the same attempt; each instance sends at most `webhook_concurrency` at once and
`webhook_per_endpoint` to one endpoint, so a slow or dead endpoint holds only its own deliveries back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
from prometheus_client import Counter

from gateway.config import GatewaySettings
from gateway.domain.webhook_retries import Outcome, retry_delay
from gateway.domain.webhooks import Delivery, Endpoint
from gateway.handlers.webhook_sending import new_session, send
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from shared.mongo.relay import Pass, RelayLoop

log = logging.getLogger(__name__)

ATTEMPTS = Counter(
    "pulse_webhook_attempts_total",
    "Webhook delivery attempts by what came of them (delivered, retry, failed: dead-lettered)",
    ["outcome"],
)
STOPPED_MIDWAY = "no outcome was recorded: the instance sending it stopped"
_PURGE_EVERY_S = 3600.0


class Dispatcher:
    """Sends due deliveries from this instance; `wake()` after storing new ones."""

    def __init__(
        self,
        settings: GatewaySettings,
        endpoints: EndpointStore,
        deliveries: DeliveryStore,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._rng = rng or random.Random()
        self._clock = clock
        self.instance = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._loop = RelayLoop(
            "webhook dispatch",
            retry_interval_s=settings.webhook_poll_interval_s,
            idle_scan_interval_s=settings.webhook_poll_interval_s,
        )
        self._stopping = False
        self._sending: dict[str, set[str]] = {}  # endpoint id -> ids of the deliveries this instance sends
        self._tasks: set[asyncio.Task[None]] = set()
        self._purged_at = float("-inf")

    def wake(self) -> None:
        self._loop.wake()

    async def run(self) -> None:
        settings = self._settings
        session = new_session(settings.webhook_allowed_hosts, settings.webhook_concurrency)

        async def one_pass(reason: Pass) -> None:  # every reason alike: due deliveries wait in the database
            await self._pass(session)
            await self._purge_when_due()

        try:
            await self._loop.run(one_pass)
        finally:
            for task in self._tasks:
                task.cancel()  # an attempt cut short is made again once its lease ends
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await session.close()

    async def stop(self, timeout_s: float) -> None:
        """Claim nothing more and let the attempts in flight finish, within a bound."""
        self._stopping = True
        self._loop.stop()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)

    async def _pass(self, session: aiohttp.ClientSession) -> None:
        settings = self._settings
        room = settings.webhook_concurrency - len(self._tasks)
        if room <= 0:
            return
        endpoints = {e.id: e for e in await self._endpoints.enabled()}
        open_ids = [
            eid for eid in endpoints if len(self._sending.get(eid, ())) < settings.webhook_per_endpoint
        ]
        now = self._clock()
        for delivery in await self._deliveries.due(now, open_ids, limit=2 * room):
            if self._stopping or len(self._tasks) >= settings.webhook_concurrency:
                return
            sending = self._sending.setdefault(delivery.endpoint_id, set())
            if delivery.id in sending or len(sending) >= settings.webhook_per_endpoint:
                continue
            claim = await self._deliveries.claim(delivery, self.instance, now, settings.webhook_lease_s)
            if claim is None:
                continue
            if claim.stale:
                await self._conclude(delivery, claim.number, Outcome(error=STOPPED_MIDWAY), now)
                continue
            sending.add(delivery.id)
            task = asyncio.create_task(
                self._attempt(session, endpoints[delivery.endpoint_id], delivery, claim.number)
            )
            self._tasks.add(task)

    async def _attempt(
        self, session: aiohttp.ClientSession, endpoint: Endpoint, delivery: Delivery, number: int
    ) -> None:
        try:
            outcome = await send(session, endpoint, delivery, self._clock(), self._settings.webhook_timeout_s)
            await self._conclude(delivery, number, outcome, self._clock())
        except asyncio.CancelledError:
            raise
        except Exception:  # MongoDB away: the lease ends and another pass makes the attempt again
            log.exception("webhook attempt %d of %s could not be recorded", number, delivery.id)
        finally:
            self._sending.get(delivery.endpoint_id, set()).discard(delivery.id)
            task = asyncio.current_task()
            if task is not None:
                self._tasks.discard(task)
            self._loop.wake()  # a slot is free

    async def _conclude(self, delivery: Delivery, number: int, outcome: Outcome, now: datetime) -> None:
        """Record an attempt's outcome and what follows: nothing more, a retry, or the dead letter."""
        await self._deliveries.finish_attempt(delivery.id, number, outcome, now)
        next_at = None
        if not outcome.succeeded:
            delay = retry_delay(
                self._settings.webhook_retry_schedule_s, number - delivery.round_start, outcome, self._rng
            )
            next_at = None if delay is None else now + timedelta(seconds=delay)
        await self._deliveries.record(delivery.id, number, outcome, now, next_at)
        if outcome.gone:
            await self._endpoints.disable(delivery.endpoint_id, "the endpoint answered 410 Gone", now)
        ATTEMPTS.labels("delivered" if outcome.succeeded else "retry" if next_at else "failed").inc()
        if not outcome.succeeded:
            log.info(
                "webhook %s to %s: attempt %d failed (%s)%s",
                delivery.id,
                delivery.endpoint_id,
                number,
                outcome.describe(),
                "" if next_at else "; dead-lettered",
            )

    async def _purge_when_due(self) -> None:
        if time.monotonic() - self._purged_at < _PURGE_EVERY_S:
            return
        self._purged_at = time.monotonic()
        await self._deliveries.purge_finished(
            self._clock() - timedelta(days=self._settings.webhook_retention_days)
        )
