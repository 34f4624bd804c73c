"""The outbox tests' database and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from testkit.outbox_parts import OutboxParts

from shared.kafka.producer import EventProducer
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour
from shared.settings import BaseServiceSettings


@pytest.fixture
async def outbox(make_settings: Callable[..., Any]) -> AsyncIterator[OutboxParts]:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    await ensure_topics(settings.kafka, settings.topics, partitions=1, replication=1)
    client = make_mongo_client(settings.mongo_url)
    producer = EventProducer(settings.kafka, "test")
    try:
        yield OutboxParts(settings, client[settings.database_name], producer, MongoFlavour(client))
    finally:
        await producer.stop()
        await client.close()
