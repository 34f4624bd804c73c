"""The latest merged counters of each programme, followed on `pulse.counters` by every instance.

Reads answer from here, so every instance answers the same figures whichever of them merged them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from pydantic import ValidationError

from shared.contracts.counters import CountersSnapshot
from shared.contracts.payloads import COUNTERS_SNAPSHOT
from shared.kafka.consumer import Received

log = logging.getLogger(__name__)


class CountersView:
    def __init__(self) -> None:
        self.latest: dict[str, CountersSnapshot] = {}
        self.caught_up = asyncio.Event()  # everything on the topic when this instance started was read

    def read(self, batch: Sequence[Received]) -> None:
        for received in batch:
            if received.event.type != COUNTERS_SNAPSHOT:
                continue
            try:
                snapshot = CountersSnapshot.model_validate(received.event.data)
            except ValidationError as exc:
                log.warning("ignored a malformed counters snapshot: %s", exc)
                continue
            self.latest[snapshot.programme_id] = snapshot  # the topic's order is the truth, as in the gateway

    @property
    def ready(self) -> bool:
        return self.caught_up.is_set() and bool(self.latest)
