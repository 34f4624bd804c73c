"""The intake of facts into deliveries, against the real database: idempotent, and told only what it tells."""

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
from shared.contracts.payloads import COUNTERS_SNAPSHOT, PARTICIPANT_KEY, PARTICIPANT_REGISTERED, Payload
from shared.contracts.registry import PAYLOAD_TYPES
from shared.contracts.webhooks import WEBHOOK_PAYLOADS
from shared.kafka.consumer import Fact, Received
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

pytestmark = pytest.mark.integration


def received(offset: int, type_: str, data: Payload) -> Fact[Payload]:
    event = new_event(source="/tests", type=type_, subject="s", data=data, id=f"fact-{offset}")
    return Fact(data, Received("topic", 0, offset, "k", event, None))


class CountedEndpoints(EndpointStore):
    """The real store, counting its reads of the enabled endpoints."""

    reads = 0

    async def enabled(self) -> list[Endpoint]:
        self.reads += 1
        return await super().enabled()


def hook() -> Endpoint:
    past = datetime.now(UTC) - timedelta(minutes=1)
    return Endpoint(
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


@pytest.mark.parametrize("batches_asked", [False, True], ids=["handlers-alone", "as-the-consumer-asks"])
async def test_a_batch_applied_again_stores_each_delivery_once(
    gateway_settings: Callable[..., GatewaySettings], batches_asked: bool
) -> None:
    """With `wanted` asked first, as the consumer loop does per batch, the batch reads its endpoints once."""
    settings = gateway_settings()
    mongo = make_mongo_client(settings.mongo_url)
    db = mongo[settings.database_name]
    endpoints, deliveries = CountedEndpoints(db), DeliveryStore(db, MongoFlavour(mongo))
    wake_ups: list[None] = []
    intake = WebhookIntake(
        endpoints=endpoints,
        deliveries=deliveries,
        milestones=MilestoneStore(db),
        milestone_step=10,
        wake=lambda: wake_ups.append(None),
    )
    fact = received(1, PARTICIPANT_REGISTERED, participant("p1", "pA", role="leader"))
    counters = received(2, COUNTERS_SNAPSHOT, snapshot(1, trainees=12))
    table = intake.handlers()
    try:
        await deliveries.ensure_indexes()
        await endpoints.insert(hook())
        for _ in range(2):  # the second time, redelivered after a crash before its offsets were committed
            if batches_asked:
                assert PARTICIPANT_REGISTERED in await intake.wanted()
            await table[PARTICIPANT_REGISTERED]([fact])  # type: ignore[list-item]
            await table[COUNTERS_SNAPSHOT]([counters])  # type: ignore[list-item]
        stored = await deliveries.listed("whk_1", None, None, 100)
    finally:
        await mongo.close()

    assert sorted(d.type for d in stored) == ["pulse.milestone.reached.v1"] * 5 + [PARTICIPANT_REGISTERED]
    assert len({d.message_id for d in stored}) == 6
    assert len(wake_ups) == 2  # the fact and the milestones, the first time; the second, nothing new
    assert endpoints.reads == (2 if batches_asked else 4)  # per batch: once, or once per handler


def test_the_intake_takes_every_type_of_the_topics_it_reads_and_nothing_else() -> None:
    """Its consumer dead-letters a type its table does not name, so the table names every type it reads."""
    intake = WebhookIntake(
        endpoints=None,  # type: ignore[arg-type]
        deliveries=None,  # type: ignore[arg-type]
        milestones=None,  # type: ignore[arg-type]
        milestone_step=10,
        wake=lambda: None,
    )
    read = {"participant", "attendance", "counters"}  # pulse.participants, pulse.attendance, pulse.counters
    # A participant's data key travels on pulse.participant-keys, which the intake does not read.
    expected = {t for t in PAYLOAD_TYPES if t.split(".")[1] in read} - {PARTICIPANT_KEY}
    assert set(intake.handlers()) == expected
