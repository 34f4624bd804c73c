"""The projection of known participants: what was found known is held, since known stays known."""

from __future__ import annotations

import pytest
from testkit.events_service import EventsService

from events.repository import stores

pytestmark = pytest.mark.integration


async def test_participants_found_known_are_held_and_others_still_looked_up(service: EventsService) -> None:
    repo = service.context.repo
    await repo.participants.insert_many([{"_id": "p-found"}, {"_id": "p-later"}])
    assert await repo.known_participants(["p-found", "p-never"]) == {"p-found"}

    # Held: answered without the projection (which never forgets a participant in the product).
    await repo.participants.delete_one({"_id": "p-found"})
    assert await repo.known_participants(["p-found"]) == {"p-found"}
    # Not held: a participant the projection gained since is found there, one never known is not.
    assert await repo.known_participants(["p-found", "p-later", "p-never"]) == {"p-found", "p-later"}


async def test_participants_remembered_are_held(service: EventsService) -> None:
    repo = service.context.repo
    await repo.remember_participants({"p-new": {"partner_id": "ucl", "programme_id": "resilience"}})
    await repo.participants.delete_many({})
    assert await repo.known_participants(["p-new"]) == {"p-new"}


async def test_past_its_bound_the_holding_starts_again_and_answers_stay_right(
    service: EventsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stores, "MAX_HELD_KNOWN", 3)
    repo = service.context.repo
    ids = [f"p-{n}" for n in range(5)]
    await repo.participants.insert_many([{"_id": pid} for pid in ids])
    assert await repo.known_participants(ids[:3]) == set(ids[:3])
    assert await repo.known_participants(ids[3:]) == set(ids[3:])  # past the bound: held anew

    await repo.participants.delete_many({"_id": {"$in": ids[:3]}})
    assert await repo.known_participants(ids) == set(ids[3:])  # the first three were let go
