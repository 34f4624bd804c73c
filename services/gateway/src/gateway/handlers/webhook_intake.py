"""From the fact topics to deliveries: what each fact tells whom, stored once per endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from gateway.domain.milestones import MilestoneState, reached
from gateway.domain.webhook_notices import milestone_notice, notice_of
from gateway.domain.webhooks import Notice, new_delivery, wants
from gateway.repository.milestones import MilestoneStore
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from shared.contracts.counters import CountersSnapshot
from shared.contracts.payloads import COUNTERS_SNAPSHOT
from shared.kafka.consumer import Received

log = logging.getLogger(__name__)


class WebhookIntake:
    """Applies a batch of facts: idempotent, as a batch may be delivered again after a crash."""

    def __init__(
        self,
        *,
        endpoints: EndpointStore,
        deliveries: DeliveryStore,
        milestones: MilestoneStore,
        milestone_step: int,
        wake: Callable[[], None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._endpoints = endpoints
        self._deliveries = deliveries
        self._milestones = milestones
        self._step = milestone_step
        self._wake = wake
        self._clock = clock

    async def apply(self, batch: Sequence[Received]) -> None:
        endpoints = await self._endpoints.enabled()
        wanted = {t for e in endpoints for t in e.event_types}  # what nobody subscribed to is not even read
        notices: list[Notice] = []
        latest: dict[str, tuple[CountersSnapshot, datetime]] = {}
        for received in batch:
            event = received.event
            try:
                if event.type == COUNTERS_SNAPSHOT:
                    snapshot = CountersSnapshot.model_validate(event.data)
                    held = latest.get(snapshot.programme_id)
                    if held is None or held[0].seq < snapshot.seq:
                        latest[snapshot.programme_id] = (snapshot, event.time)
                elif event.type in wanted and (notice := notice_of(event)) is not None:
                    notices.append(notice)
            except ValidationError:
                # Retrying cannot mend a fact that breaks its contract; the other consumers judge it too.
                log.warning("webhooks ignored a malformed %s (event %s)", event.type, event.id)
        told: dict[str, MilestoneState] = {}
        for programme_id, (snapshot, at) in latest.items():
            state, found = reached(await self._milestones.state(programme_id), snapshot.public, self._step)
            if found:
                notices.extend(milestone_notice(programme_id, milestone, at) for milestone in found)
                told[programme_id] = state
        now = self._clock()
        deliveries = [new_delivery(e, n, now) for n in notices for e in endpoints if wants(e, n)]
        if deliveries and await self._deliveries.insert_new(deliveries):
            self._wake()
        # Saved once their deliveries are stored: a crash between tells them again, under the same ids.
        for programme_id, state in told.items():
            await self._milestones.save(programme_id, state)
