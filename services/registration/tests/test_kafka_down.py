"""With Kafka away, registrations are still accepted; when it returns each change is published once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from testkit.registration_bodies import participant_body, partner_headers
from testkit.registration_harness import new_partner, published, running, stored_participants

from registration.config import RegistrationSettings

pytestmark = pytest.mark.integration


async def test_writes_accepted_while_kafka_is_down_are_published_exactly_once_later(
    make_settings: Callable[..., Any],
) -> None:
    up: RegistrationSettings = make_settings(RegistrationSettings)
    down = up.model_copy(update={"kafka_bootstrap": "127.0.0.1:1"})  # a closed port: no broker
    async with running(down) as api:
        partner = await new_partner(api)
        headers = partner_headers(partner)
        singles = [participant_body() for _ in range(3)]
        for body in singles:
            assert (await api.post("/v1/participants", json=body, headers=headers)).status_code == 201
        batch = [participant_body() for _ in range(20)]
        response = await api.post("/v1/participants:batch", json={"participants": batch}, headers=headers)
        assert {r["status"] for r in response.json()["results"]} == {"created"}
        changed = {**singles[0], "family_name": "Byron"}
        assert (await api.post("/v1/participants", json=changed, headers=headers)).json()["version"] == 2

    stored = await stored_participants(up)
    assert len(stored) == 23
    # 24 participant events and 23 data keys: nothing was sent, nothing was lost
    assert sum(len(doc["outbox"]) for doc in stored) == 24 + 23

    async with running(up):  # the same service once Kafka is reachable again
        events = await published(up, 24)

    assert len({(e["subject"], e["data"]["version"]) for e in events}) == 24
    assert {e["subject"] for e in events} == {doc["_id"] for doc in stored}
