"""The merger's freshest partial of each partition.

A partial includes every fact below the offsets it covers, so one that covers at least as much as the held
one may replace it; anything else (a zombie owner's partial arriving late, an older one read back from the
compacted topic) is kept out. Two partials neither of which covers the other both hold true prefixes; the
held one stays until the partition's owner covers more, which it does by the time the partition is quiet.
A partial is held as it is summed (metrics.domain.partials), not as it was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metrics.domain.partials import Organisations, PartitionProgrammes, held_programmes
from shared.contracts.partials import PartialCoverage, PartitionPartial


@dataclass(frozen=True)
class HeldPartial:
    partition: int
    covers: PartialCoverage
    owner: str
    generation: int
    published_at: datetime
    programmes: PartitionProgrammes


def fresher(new: PartitionPartial, held: HeldPartial) -> bool:
    """True when `new` should replace `held`; on equal coverage the later generation or time wins."""
    if not new.covers.covers(held.covers):
        return False
    if held.covers.covers(new.covers):
        return (new.generation, new.published_at) >= (held.generation, held.published_at)
    return True


class HeldPartials:
    def __init__(self) -> None:
        self.by_partition: dict[int, HeldPartial] = {}
        self._organisations = Organisations()

    def offer(self, partial: PartitionPartial) -> bool:
        """Hold `partial` if it is its partition's freshest; True when it replaced what was held."""
        held = self.by_partition.get(partial.partition)
        if held is not None and not fresher(partial, held):
            return False
        self.by_partition[partial.partition] = HeldPartial(
            partition=partial.partition,
            covers=partial.covers,
            owner=partial.owner,
            generation=partial.generation,
            published_at=partial.published_at,
            programmes=held_programmes(partial, self._organisations),
        )
        return True

    def complete(self, partition_count: int) -> bool:
        """True when a partial of every partition is held, so no figure misses one."""
        return all(p in self.by_partition for p in range(partition_count))

    def covering(self, partition_count: int) -> list[PartitionProgrammes]:
        return [self.by_partition[p].programmes for p in range(partition_count)]
