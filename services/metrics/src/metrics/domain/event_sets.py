"""Sets of events as bitmaps over their ranks on `pulse.events` (the encoding is in shared.contracts.partials).

A rank is the same on every instance because each reads every partition of `pulse.events` from its
beginning: (partition, how many distinct event ids came before the event's first message there).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping

EventRank = tuple[int, int]


def encode_events(event_ids: Iterable[str], ranks: Mapping[str, EventRank]) -> dict[int, str]:
    """The events as base64 bitmaps by partition; an event this instance has not read yet is left out
    (the partial is published again once it has been read)."""
    bitmaps: dict[int, bytearray] = {}
    for event_id in event_ids:
        rank = ranks.get(event_id)
        if rank is None:
            continue
        partition, n = rank
        bitmap = bitmaps.setdefault(partition, bytearray())
        byte = n >> 3
        if byte >= len(bitmap):
            bitmap.extend(bytes(byte + 1 - len(bitmap)))
        bitmap[byte] |= 1 << (n & 7)
    return {partition: base64.b64encode(bitmap).decode() for partition, bitmap in sorted(bitmaps.items())}


def add_events(into: dict[int, int], events: Mapping[int, str]) -> None:
    """Union encoded events into bitmaps held as integers, by partition."""
    for partition, text in events.items():
        into[partition] = into.get(partition, 0) | int.from_bytes(base64.b64decode(text), "little")


def count_events(bitmaps: Mapping[int, int]) -> int:
    return sum(bitmap.bit_count() for bitmap in bitmaps.values())
