"""How far a reader that commits nothing has read: the topic itself is its state.

A reader of a whole topic (every metrics instance reads `pulse.events` in full) or of what its group
assigns it from the beginning (the merger and `pulse.partials`) needs to know when it has read everything
that was on the topic when it started reading, before it may act on what it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from aiokafka import TopicPartition


class ReadProgress:
    """The next offset of each partition read, and whether the end offsets noted at the (re)start are reached.

    `on_caught_up` runs once per start of reading, when every partition has reached its noted end;
    `on_moved` is told the next offset of each partition (by number) after every batch, including offsets
    past records no handler saw (unreadable ones, transaction markers, compacted gaps).
    """

    def __init__(
        self,
        on_caught_up: Callable[[], None] = lambda: None,
        on_moved: Callable[[dict[int, int]], None] = lambda positions: None,
    ) -> None:
        self._on_caught_up = on_caught_up
        self._on_moved = on_moved
        self.positions: dict[TopicPartition, int] = {}
        self._ends: dict[TopicPartition, int] | None = None
        self.caught_up = False

    def restart(self, ends: Mapping[TopicPartition, int]) -> None:
        """Reading starts again from the beginning; caught up once `ends` are reached."""
        self.positions = {}
        self._ends = dict(ends)
        self.caught_up = False
        self._check()

    def moved(self, positions: Mapping[TopicPartition, int]) -> None:
        self.positions.update(positions)
        self._on_moved({tp.partition: offset for tp, offset in self.positions.items()})
        self._check()

    def lost(self) -> None:
        """The partitions went away (a rebalance): nothing counts as read until the next restart."""
        self._ends = None
        self.caught_up = False

    def _check(self) -> None:
        if self.caught_up or self._ends is None:
            return
        if all(self.positions.get(tp, 0) >= end for tp, end in self._ends.items() if end > 0):
            self.caught_up = True
            self._on_caught_up()
