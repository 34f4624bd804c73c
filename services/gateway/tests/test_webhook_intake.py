"""The intake of facts into deliveries, against the real database: idempotent, tolerant of bad facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from testkit.builders import participant
from testkit.gateway_kit import snapshot

from gateway.config import GatewaySettings
from gateway.domain.webhooks import Endpoint
from gateway.handlers.webhook_intake import WebhookIntake
from gateway.repository.milestones import MilestoneStore
from gateway.repository.webhook_deliveries import DeliveryStore
from gateway.repository.webhook_endpoints import EndpointStore
from shared.contracts.envelope import new_event
from shared.contracts.payloads import COUNTERS_SNAPSHOT, PARTICIPANT_REGISTERED
from shared.contracts.webhooks import WEBHOOK_PAYLOADS
from shared.kafka.consumer import Received
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

pytestmark = pytest.mark.integration


def received(offset: int, type_: str, data: object) -> Received:
    event = new_event(source="/tests", type=type_, subject="s", data=data, id=f"fact-{offset}")  # type: ignore[arg-type]
    return Received("topic", 0, offset, "k", event, None)


async def test_a_batch_applied_again_stores_each_delivery_once_and_skips_bad_facts(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings()
    mongo = make_mongo_client(settings.mongo_url)
    db = mongo[settings.database_name]
    endpoints, deliveries = EndpointStore(db), DeliveryStore(db, MongoFlavour(mongo))
    wake_ups: list[None] = []
    intake = WebhookIntake(
        endpoints=endpoints,
        deliveries=deliveries,
        milestones=MilestoneStore(db),
        milestone_step=10,
        wake=lambda: wake_ups.append(None),
    )
    past = datetime.now(UTC) - timedelta(minutes=1)
    hook = Endpoint(
        "whk_1",
        "pA",
        "resilience",
        "https://h.example.org/",
        tuple(WEBHOOK_PAYLOADS),
        None,
        True,
        "whsec_" + "A" * 32,
        past,
        past,
    )
    fact = participant("p1", "pA", role="leader")
    broken = received(3, PARTICIPANT_REGISTERED, fact)
    broken.event.data.pop("role")  # breaks the contract: retrying could never mend it
    batch = [
        received(1, PARTICIPANT_REGISTERED, fact),
        received(2, COUNTERS_SNAPSHOT, snapshot(1, trainees=12)),
        broken,
    ]
    try:
        await deliveries.ensure_indexes()
        await endpoints.insert(hook)
        await intake.apply(batch)
        await intake.apply(batch)  # redelivered after a crash before its offsets were committed
        stored = await deliveries.listed(hook.id, None, None, 100)
    finally:
        await mongo.close()

    assert sorted(d.type for d in stored) == ["pulse.milestone.reached.v1"] * 5 + [PARTICIPANT_REGISTERED]
    assert len({d.message_id for d in stored}) == 6
    assert len(wake_ups) == 1  # the second time, nothing new was stored
