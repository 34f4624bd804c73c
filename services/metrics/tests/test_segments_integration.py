"""Fact segments on the real MongoDB-wire server: a redelivered or overlapping batch changes nothing."""

from __future__ import annotations

import random

import pytest
from testkit.facts import generate_programme

from metrics.config import MetricsSettings
from metrics.domain.facts import Fact, FactSet, attendance_fact, event_fact, participant_fact
from metrics.repository.segments import FactSegments
from shared.contracts.payloads import AttendanceRecorded, EventChanged, ParticipantChanged
from shared.mongo.client import make_mongo_client

pytestmark = pytest.mark.integration


def facts_of(seed: int) -> list[Fact]:
    programme = generate_programme(random.Random(seed), participants=60, events=8, attendances=400)
    facts: list[Fact] = []
    for message in programme.messages:
        if isinstance(message.payload, AttendanceRecorded):
            facts.append(attendance_fact(message.payload))
        elif isinstance(message.payload, ParticipantChanged):
            facts.append(participant_fact(message.payload))
        elif isinstance(message.payload, EventChanged):
            facts.append(event_fact(message.payload))
    return facts


async def test_stored_segments_load_as_the_merge_of_every_fact_whatever_overlaps(
    metrics_settings: MetricsSettings,
) -> None:
    facts = facts_of(3)
    mongo = make_mongo_client(metrics_settings.mongo_url)
    try:
        segments = FactSegments(mongo[metrics_settings.database_name])
        await segments.store("a", facts[:300])
        await segments.store("a", facts[:300])  # the very same batch, redelivered after a crash
        await segments.store("b", facts[150:])  # a redelivered batch cut differently
        await segments.store("c", list(reversed(facts[::3])))

        loaded = FactSet()
        await segments.load(loaded)
        stored_documents = await segments.count()
    finally:
        await mongo.close()

    expected = FactSet()
    expected.merge(facts)
    assert loaded == expected
    assert stored_documents == 3
