"""Two gateway replicas' key usage on one real database: revocation and counts within the sync bound."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.domain.keys import ApiKey, checkin_key, hash_secret
from gateway.handlers.key_usage import KeyUsage
from gateway.repository.keys import KeyRepository
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

SYNC_S = 0.5
WINDOW = 7


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def keys(infra: Any) -> AsyncIterator[KeyRepository]:
    client = make_mongo_client(infra.mongo_url)
    name = f"t{uuid.uuid4().hex[:12]}"
    repository = KeyRepository(client[name], MongoFlavour(client))
    await repository.ensure_indexes()
    yield repository
    await client.drop_database(name)
    await client.close()


async def _new_key(keys: KeyRepository) -> tuple[str, str]:
    now = datetime.now(UTC)
    key, secret = checkin_key("ev1", "pA", now + timedelta(days=1), now)
    await keys.insert(key)
    return key.id, hash_secret(secret)


def _replica(
    keys: KeyRepository, sync_s: float = SYNC_S, window_now: Callable[[], int] = lambda: WINDOW
) -> tuple[KeyUsage, Clock]:
    clock = Clock()
    return KeyUsage(keys, sync_s=sync_s, window_now=window_now, clock=clock), clock


async def _used(usage: KeyUsage, key_hash: str) -> int | None:
    found = await usage.use(key_hash, WINDOW)
    return None if found is None else found[1]


async def _served(usage: KeyUsage, key_hash: str) -> bool:
    found = await usage.use(key_hash, WINDOW)
    return found is not None and found[0].usable_at(datetime.now(UTC))


async def test_a_key_revoked_through_one_replica_is_refused_by_the_other_within_twice_the_sync(
    keys: KeyRepository,
) -> None:
    (first, _), (second, second_clock) = _replica(keys), _replica(keys)
    key_id, key_hash = await _new_key(keys)
    assert await _used(first, key_hash) == 1
    assert await _used(second, key_hash) == 2

    await keys.revoke(key_id, datetime.now(UTC))
    first.forget(key_id)
    assert not await _served(first, key_hash)  # the replica that revoked it: at once
    second_clock.now += 2 * SYNC_S - 0.01
    assert await _served(second, key_hash)  # the other: still on its look-up, inside the bound
    second_clock.now += 0.01
    assert not await _served(second, key_hash)  # at the bound: looked up again, refused


async def test_each_replicas_counts_reach_the_others_at_each_sync(keys: KeyRepository) -> None:
    (first, first_clock), (second, second_clock) = _replica(keys), _replica(keys)
    _, key_hash = await _new_key(keys)
    assert [await _used(first, key_hash) for _ in range(3)] == [1, 2, 3]  # one look-up, then counted here
    assert await _used(second, key_hash) == 2  # the first's two since its look-up are not sent yet
    await first.flush()
    assert await _used(second, key_hash) == 3  # still its own view until its own sync
    await second.flush()  # sends its one pending count and reads everyone's
    assert await _used(second, key_hash) == 6
    second_clock.now += 2 * SYNC_S
    assert await _used(second, key_hash) == 7  # an old view is not served: looked up, this one counted there
    first_clock.now += 2 * SYNC_S
    assert await _used(first, key_hash) == 8  # every request counted once across both


async def test_with_no_sync_interval_every_request_is_counted_in_the_database(keys: KeyRepository) -> None:
    (first, _), (second, _) = _replica(keys, sync_s=0), _replica(keys, sync_s=0)
    key_id, key_hash = await _new_key(keys)
    assert [await _used(replica, key_hash) for replica in [first, second] * 3] == [1, 2, 3, 4, 5, 6]
    await keys.revoke(key_id, datetime.now(UTC))
    assert not await _served(second, key_hash)


async def test_a_past_windows_counts_are_not_carried_into_the_next(keys: KeyRepository) -> None:
    (first, _), (second, _) = _replica(keys), _replica(keys)
    _, key_hash = await _new_key(keys)
    assert [await _used(first, key_hash) for _ in range(3)] == [1, 2, 3]
    found = await second.use(key_hash, WINDOW + 1)
    assert found is not None
    assert found[1] == 1
    moved = await first.use(key_hash, WINDOW + 1)
    assert moved is not None
    assert moved[1] == 1


async def test_one_flush_sends_the_counts_of_every_key_in_use(keys: KeyRepository) -> None:
    (first, _), (second, second_clock) = _replica(keys), _replica(keys)
    hashes = [(await _new_key(keys))[1] for _ in range(3)]
    for n, key_hash in enumerate(hashes, start=1):
        assert [await _used(first, key_hash) for _ in range(n + 1)] == list(range(1, n + 2))
    await first.flush()
    second_clock.now += 2 * SYNC_S
    assert [await _used(second, key_hash) for key_hash in hashes] == [3, 4, 5]
    revoked_id, revoked_hash = await _new_key(keys)
    assert await _used(first, revoked_hash) == 1
    await _used(first, revoked_hash)
    await keys.revoke(revoked_id, datetime.now(UTC))
    await first.flush()  # the revocation comes back with the counts
    assert not await _served(first, revoked_hash)


@pytest.mark.parametrize("other_moves_it_first", [False, True])
async def test_counts_held_for_a_new_window_are_stored_in_it_whoever_starts_it(
    keys: KeyRepository, other_moves_it_first: bool
) -> None:
    (first, _), (second, second_clock) = _replica(keys, window_now=lambda: WINDOW + 1), _replica(keys)
    _, key_hash = await _new_key(keys)
    assert [await _used(first, key_hash) for _ in range(3)] == [1, 2, 3]  # the stored window: WINDOW
    assert [(await first.use(key_hash, WINDOW + 1) or (None, 0))[1] for _ in range(2)] == [1, 2]
    if other_moves_it_first:
        moved = await second.use(key_hash, WINDOW + 1)
        assert moved is not None
        assert moved[1] == 1
    await first.flush()
    second_clock.now += 2 * SYNC_S
    found = await second.use(key_hash, WINDOW + 1)
    assert found is not None
    assert found[1] == (4 if other_moves_it_first else 3)  # none of the first's two lost, none counted twice


class _AwayOnce(KeyRepository):
    """The real repository, whose first sync of many keys fails as a database that is away a moment."""

    def __init__(self, real: KeyRepository) -> None:
        self.__dict__.update(real.__dict__)
        self.failed = False

    async def use_many(
        self, amounts: Mapping[str, int], window: int, behind: Collection[str]
    ) -> dict[str, tuple[ApiKey, int]]:
        if not self.failed:
            self.failed = True
            raise ConnectionError("database away")
        return await super().use_many(amounts, window, behind)


async def test_counts_a_failed_sync_did_not_store_go_with_the_next(keys: KeyRepository) -> None:
    (first, _), (second, _) = _replica(_AwayOnce(keys)), _replica(keys)
    _, key_hash = await _new_key(keys)
    assert [await _used(first, key_hash) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ConnectionError):
        await first.flush()
    assert await _used(first, key_hash) == 4  # still counted here
    await first.flush()
    assert await _used(second, key_hash) == 5  # all four of the first's, once each
