"""The latest merged counters of each programme, followed on `pulse.counters` by every instance.

Reads answer from here, so every instance answers the same figures whichever of them merged them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from shared.contracts.counters import CountersSnapshot


class CountersView:
    def __init__(self) -> None:
        self.latest: dict[str, CountersSnapshot] = {}
        self.caught_up = asyncio.Event()  # everything on the topic when this instance started was read

    def read(self, snapshots: Iterable[CountersSnapshot]) -> None:
        for snapshot in snapshots:
            self.latest[snapshot.programme_id] = snapshot  # the topic's order is the truth, as in the gateway

    @property
    def ready(self) -> bool:
        return self.caught_up.is_set() and bool(self.latest)
