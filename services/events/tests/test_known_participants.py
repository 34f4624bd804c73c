"""The projection of known participants: what was found known is held, since known stays known."""

from __future__ import annotations

import pytest
from testkit.events_service import EventsService

from events.handlers.storage import KnownParticipant
from events.repository import participants

pytestmark = pytest.mark.integration


async def test_participants_found_known_are_held_and_others_still_looked_up(service: EventsService) -> None:
    known, stored = service.context.participants, service.db["participants"]
    await stored.insert_many([{"_id": "p-found"}, {"_id": "p-later"}])
    assert await known.known(["p-found", "p-never"]) == {"p-found"}

    # Held: answered without the projection (which never forgets a participant in the product).
    await stored.delete_one({"_id": "p-found"})
    assert await known.known(["p-found"]) == {"p-found"}
    # Not held: a participant the projection gained since is found there, one never known is not.
    assert await known.known(["p-found", "p-later", "p-never"]) == {"p-found", "p-later"}


async def test_participants_remembered_are_held(service: EventsService) -> None:
    known = service.context.participants
    await known.remember({"p-new": KnownParticipant("ucl", "resilience")})
    await service.db["participants"].delete_many({})
    assert await known.known(["p-new"]) == {"p-new"}


async def test_past_its_bound_the_holding_starts_again_and_answers_stay_right(
    service: EventsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(participants, "MAX_HELD_KNOWN", 3)
    known, stored = service.context.participants, service.db["participants"]
    ids = [f"p-{n}" for n in range(5)]
    await stored.insert_many([{"_id": pid} for pid in ids])
    assert await known.known(ids[:3]) == set(ids[:3])
    assert await known.known(ids[3:]) == set(ids[3:])  # past the bound: held anew

    await stored.delete_many({"_id": {"$in": ids[:3]}})
    assert await known.known(ids) == set(ids[3:])  # the first three were let go
