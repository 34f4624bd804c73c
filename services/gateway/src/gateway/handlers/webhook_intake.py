"""From the fact topics to deliveries: what each fact tells whom, stored once per endpoint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from gateway.domain.milestones import MilestoneState, reached
from gateway.domain.webhook_notices import Told, milestone_notice, notice_of
from gateway.domain.webhooks import Endpoint, Notice, new_delivery, wants
from gateway.repository.milestones import MilestoneStore
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from shared.contracts.counters import CountersSnapshot
from shared.contracts.payloads import (
    AttendanceRecorded,
    AttendanceReleased,
    ParticipantChanged,
    ParticipantErased,
)
from shared.contracts.registry import types_of
from shared.kafka.consumer import Fact, FactHandler, on


class WebhookIntake:
    """Turns batches of facts into stored deliveries: idempotent, as a batch may be delivered again after a crash."""

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
        # The enabled endpoints read for the batch in hand: `wanted` is asked once per batch, before its
        # handlers, so one read serves the whole batch (three per batch were most of the gateway's reads).
        self._batch_endpoints: list[Endpoint] | None = None

    def handlers(self) -> dict[str, FactHandler[Any]]:
        """The intake's table: the facts webhooks tell of, and the snapshots milestones are read from."""
        return {
            **on(ParticipantChanged, self.tell),
            **on(ParticipantErased, self.tell),
            **on(AttendanceRecorded, self.tell),
            **on(AttendanceReleased, self.tell),
            **on(CountersSnapshot, self.tell_milestones),
        }

    async def wanted(self) -> set[str]:
        """The types to read now: what enabled endpoints subscribe to, and the snapshots milestones need.

        The rest are passed over unparsed: at a bulk upload, parsing every attendance no endpoint wanted was
        most of the gateway's CPU.
        """
        self._batch_endpoints = endpoints = await self._endpoints.enabled()
        return {t for e in endpoints for t in e.event_types} | set(types_of(CountersSnapshot))

    async def tell(self, facts: Sequence[Fact[Told]]) -> None:
        """Store a delivery of each fact for each endpoint that wants it (idempotent: ids come from the facts)."""
        endpoints = await self._enabled()
        wanted = {t for e in endpoints for t in e.event_types}
        notices = [notice_of(fact.event, fact.payload) for fact in facts if fact.event.type in wanted]
        await self._deliver(endpoints, notices)

    async def tell_milestones(self, facts: Sequence[Fact[CountersSnapshot]]) -> None:
        """Tell the milestones the latest public figures of each programme reached since the last told."""
        latest: dict[str, Fact[CountersSnapshot]] = {}
        for fact in facts:
            held = latest.get(fact.payload.programme_id)
            if held is None or held.payload.seq < fact.payload.seq:
                latest[fact.payload.programme_id] = fact
        notices: list[Notice] = []
        told: dict[str, MilestoneState] = {}
        for programme_id, fact in latest.items():
            state = await self._milestones.state(programme_id)
            state, found = reached(state, fact.payload.public, self._step)
            if found:
                notices.extend(milestone_notice(programme_id, m, fact.event.time) for m in found)
                told[programme_id] = state
        await self._deliver(await self._enabled(), notices)
        # Saved once their deliveries are stored: a crash between tells them again, under the same ids.
        for programme_id, state in told.items():
            await self._milestones.save(programme_id, state)

    async def _enabled(self) -> list[Endpoint]:
        """The endpoints enabled as the batch began; read now when no `wanted` began it (a handler called alone)."""
        if self._batch_endpoints is not None:
            return self._batch_endpoints
        return await self._endpoints.enabled()

    async def _deliver(self, endpoints: Sequence[Endpoint], notices: Sequence[Notice]) -> None:
        now = self._clock()
        deliveries = [new_delivery(e, n, now) for n in notices for e in endpoints if wants(e, n)]
        if deliveries and await self._deliveries.insert_new(deliveries):
            self._wake()
