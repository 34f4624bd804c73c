"""Each API key as this gateway last saw it in the database, and its requests counted here between syncs.

The keys in steady use cost a gateway one ordered write and one read per `sync_s` for all of them, instead
of a round trip per request. The bounds (docs/architecture.md, Security model), with N gateway replicas:

- a request is only served on a look-up of its key that started at most 2 × `sync_s` earlier, so a
  revoked key is refused by every replica at most 2 × `sync_s` after the revocation is stored (at once by
  the replica that revoked it);
- a replica sends its counts to the shared window every `sync_s` and reads everyone's with them, so a key
  can be served beyond its limit in one window by at most what the other replicas served of it in the last
  2 × `sync_s`; one replica alone counts exactly.

`sync_s = 0` looks every request's key up and counts it in the database, exact on any number of replicas.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from gateway.domain.keys import ApiKey
from gateway.repository.keys import KeyRepository

log = logging.getLogger(__name__)

MAX_HELD = 10_000  # keys held at once; the ones not looked up lately are forgotten first


@dataclass
class _Held:
    key: ApiKey
    synced_at: float  # monotonic time at which the last look-up of the key started
    window: int
    stored: int  # the window's count in the database at the last look-up (ours sent so far included)
    unsynced: int = 0  # counted here in this window and not in `stored` yet (pending or being sent)
    pending: int = 0  # counted here in this window and not sent yet
    # False once moved to a window here: the document may still be in a past one (windows only move forward)
    in_database: bool = True

    def move_to(self, window: int) -> None:
        if window > self.window:  # a past window's counts decide nothing any more
            self.window, self.stored, self.unsynced, self.pending = window, 0, 0, 0
            self.in_database = False

    def used(self) -> int:
        return self.stored + self.unsynced


class KeyUsage:
    """Keys looked up and counted through this gateway's memory, synced with the database every `sync_s`."""

    def __init__(
        self,
        keys: KeyRepository,
        *,
        sync_s: float,
        window_now: Callable[[], int],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = keys
        self._sync_s = sync_s
        self._window_now = window_now
        self._clock = clock
        self._held: dict[str, _Held] = {}

    async def use(self, key_hash: str, window: int) -> tuple[ApiKey, int] | None:
        """The key with this hash and its requests in this window, this one counted; None if unknown."""
        held = self._held.get(key_hash)
        if held is None or self._clock() - held.synced_at >= 2 * self._sync_s:
            held = await self._sync(key_hash, window, extra=1)
            return None if held is None else (held.key, held.used())
        held.move_to(window)
        held.pending += 1
        held.unsynced += 1
        return held.key, held.used()

    def forget(self, key_id: str) -> None:
        """Drop a key this replica holds (it was just revoked here), so its next request looks it up."""
        for key_hash in [h for h, held in self._held.items() if held.key.id == key_id]:
            del self._held[key_hash]

    async def flush(self) -> None:
        """Send this window's pending counts of every key and refresh those keys, all in one write and read."""
        window = self._window_now()
        sent = {h: held.pending for h, held in self._held.items() if held.pending and held.window == window}
        if sent:
            behind = {h for h in sent if not self._held[h].in_database}
            for key_hash in sent:
                self._held[key_hash].pending = 0
            started = self._clock()
            try:
                found = await self._keys.use_many(sent, window, behind)
            except BaseException:
                for key_hash, count in sent.items():
                    self._unsent(key_hash, count, window)
                raise
            for key_hash, count in sent.items():
                self._take(key_hash, found.get(key_hash), count, window, started)
        if len(self._held) > MAX_HELD:
            self._forget_oldest()

    async def run(self) -> None:
        """Flush every `sync_s` until cancelled (nothing to do when every request is looked up)."""
        if self._sync_s <= 0:
            return
        while True:
            await asyncio.sleep(self._sync_s)
            try:
                await self.flush()
            except Exception:  # the database may be away a moment; counts stay pending for the next flush
                log.warning("could not sync key counts; will retry", exc_info=True)

    async def _sync(self, key_hash: str, window: int, extra: int) -> _Held | None:
        """Add `extra` and this window's pending counts to the stored window, and take the key as stored."""
        held = self._held.get(key_hash)
        sent = 0
        if held is not None:
            held.move_to(window)
            sent, held.pending = held.pending, 0
        started = self._clock()
        try:
            found = await self._keys.use(key_hash, window, amount=sent + extra)
        except BaseException:
            self._unsent(key_hash, sent, window)
            raise
        return self._take(key_hash, found, sent, window, started)

    def _unsent(self, key_hash: str, sent: int, window: int) -> None:
        """Counts not stored by a sync that failed: sent with the next one, if their window is still on."""
        held = self._held.get(key_hash)
        if held is not None and held.window == window:
            held.pending += sent

    def _take(
        self, key_hash: str, found: tuple[ApiKey, int] | None, sent: int, window: int, started: float
    ) -> _Held | None:
        """Hold the key as a sync that started at `started` and stored `sent` of ours found it."""
        held = self._held.get(key_hash)
        if found is None:
            self._held.pop(key_hash, None)
            return None
        key, used = found
        if held is None:
            held = self._held[key_hash] = _Held(key, started, window, used)
            return held
        held.key = key
        held.synced_at = max(held.synced_at, started)
        if held.window == window:
            held.stored = max(held.stored, used)
            held.unsynced -= sent
            held.in_database = True
        elif held.window < window:  # first sight of this window, from the database
            held.window, held.stored, held.unsynced, held.pending = window, used, 0, 0
            held.in_database = True
        return held

    def _forget_oldest(self) -> None:
        by_age = sorted(self._held, key=lambda h: self._held[h].synced_at)
        for key_hash in by_age[: len(by_age) - MAX_HELD // 2]:
            del self._held[key_hash]
