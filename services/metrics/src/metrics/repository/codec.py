"""How a partition's state and a batch's facts are stored: core types in marshal's format, compressed.

Loading a stored state must not merge its facts again one by one (~20 us each: 20 s for a million
attendances), so the whole state (facts, indexes and tallies) is stored as core types, which marshal loads
at C speed with shared strings kept shared (~0.1 s for 83,000 attendances with their tallies), where pickle
would also run code named by the data. marshal's format belongs to the Python version; a stored blob that a
later version cannot read is reported as unreadable and the partition is replayed from Kafka instead.
FerretDB stores an opaque binary field ~50 times cheaper than the same values as BSON elements.
"""

from __future__ import annotations

import gc
import marshal
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from metrics.domain.facts import AttendanceFact, ErasedFact, Fact, KeyFact, ParticipantFact
from metrics.domain.partition_facts import PartitionFacts

FORMAT = 2  # raised whenever what `PartitionFacts.state()` holds changes


class UnreadableBlob(Exception):
    """A stored state or segment this code cannot read (corrupt, or written by another format)."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading creates millions of containers at once; the collector's passes over them found nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def state_bytes(facts: PartitionFacts) -> bytes:
    """The partition's state, uncompressed (compress it away from the event loop)."""
    return marshal.dumps((FORMAT, facts.state()))


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, 1)


def _loads(blob: bytes) -> Any:
    try:
        with _collector_paused():
            version, content = marshal.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, EOFError, TypeError) as exc:
        raise UnreadableBlob(str(exc)) from exc
    if version != FORMAT:
        raise UnreadableBlob(f"stored in format {version}, this code reads {FORMAT}")
    return content


def decode_state(blob: bytes) -> PartitionFacts:
    state = _loads(blob)
    with _collector_paused():
        return PartitionFacts.from_state(state)


def encode_facts(facts: Sequence[Fact]) -> bytes:
    """A batch's participants, attendance, data keys and erasures (events are read from their topic, never
    stored). A segment holding a key is deleted by the compaction that follows the key's erasure."""
    participants = [tuple(f) for f in facts if isinstance(f, ParticipantFact)]
    attendance = [tuple(f) for f in facts if isinstance(f, AttendanceFact)]
    keys = [tuple(f) for f in facts if isinstance(f, KeyFact)]
    erased = [f.participant_id for f in facts if isinstance(f, ErasedFact)]
    if len(participants) + len(attendance) + len(keys) + len(erased) != len(facts):
        raise ValueError("a segment holds participants, attendance, keys and erasures only")
    return compress(marshal.dumps((FORMAT, (participants, attendance, keys, erased))))


def decode_facts(blob: bytes) -> list[Fact]:
    participants, attendance, keys, erased = _loads(blob)
    facts: list[Fact] = list(map(ParticipantFact._make, participants))
    facts.extend(map(AttendanceFact._make, attendance))
    facts.extend(map(KeyFact._make, keys))
    facts.extend(map(ErasedFact, erased))
    return facts
