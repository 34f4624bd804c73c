"""The latest counters snapshot per programme, and a fan-out to any number of live subscribers."""

from __future__ import annotations

import asyncio
import json

from shared.contracts.counters import CountersSnapshot


def version_of(snapshot: CountersSnapshot, exact: bool) -> int:
    """The seq an exact reader sees, or for a public reader the seq of the public release it carries.

    Public readers see a new version only when the public figures changed (docs/privacy.md), so the
    moments of exact changes between two public releases are not shown to them.
    """
    if exact or snapshot.public_seq is None:
        return snapshot.seq
    return snapshot.public_seq


class Subscription:
    """Holds only the newest snapshot not yet taken, so a slow client never makes memory grow.

    The hub also wakes it without a snapshot when a keep-alive is due, and its stream closes it when the
    client leaves.
    """

    def __init__(self, programme_id: str) -> None:
        self.programme_id = programme_id
        self.closed = False
        self._pending: CountersSnapshot | None = None
        self._ready = asyncio.Event()

    def offer(self, snapshot: CountersSnapshot) -> None:
        self._pending = snapshot
        self._ready.set()

    def wake(self) -> None:
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self) -> CountersSnapshot | None:
        """The newest snapshot not yet taken; None when woken without one (or closed: see `closed`)."""
        await self._ready.wait()
        self._ready.clear()
        snapshot, self._pending = self._pending, None
        return snapshot


class SnapshotHub:
    def __init__(self) -> None:
        self._latest: dict[str, CountersSnapshot] = {}
        self._subscribers: set[Subscription] = set()
        self._encoded: dict[tuple[str, bool], tuple[CountersSnapshot, bytes]] = {}

    def latest(self, programme_id: str) -> CountersSnapshot | None:
        return self._latest.get(programme_id)

    def figures_json(self, snapshot: CountersSnapshot, exact: bool) -> bytes:
        """The snapshot's exact or public figures with its seq as a JSON body, encoded once per snapshot.

        Encoding the nested figures costs milliseconds; every counters read between two snapshots shares it.
        """
        key = (snapshot.programme_id, exact)
        cached = self._encoded.get(key)
        if cached is not None and cached[0] is snapshot:
            return cached[1]
        figures = snapshot.exact if exact else snapshot.public
        body = json.dumps(
            {"seq": version_of(snapshot, exact), **figures.model_dump(mode="json")},
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        ).encode()
        self._encoded[key] = (snapshot, body)
        return body

    def publish(self, snapshot: CountersSnapshot) -> None:
        """Keep the snapshot as the latest of its programme (the topic's order is the truth) and push it."""
        current = self._latest.get(snapshot.programme_id)
        if current is not None and current.seq == snapshot.seq:
            return  # a redelivery: subscribers already have it
        self._latest[snapshot.programme_id] = snapshot
        for subscription in self._subscribers:
            if subscription.programme_id == snapshot.programme_id:
                subscription.offer(snapshot)

    def subscribe(self, programme_id: str) -> Subscription:
        subscription = Subscription(programme_id)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    async def keep_alive(self, interval_s: float) -> None:
        """Wake every subscription each `interval_s`, so each stream sends a keep-alive comment: one timer
        for every stream instead of one per stream (routes.event_stream)."""
        while True:
            await asyncio.sleep(interval_s)
            for subscription in self._subscribers:
                subscription.wake()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)
