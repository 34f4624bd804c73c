"""Topic names of docs/architecture.md, optionally prefixed so each test run has its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topics:
    prefix: str = ""

    @property
    def participants(self) -> str:
        return f"{self.prefix}pulse.participants"

    @property
    def participant_keys(self) -> str:
        """Compacted, keyed and partitioned as `participants`: each participant's data key until erasure."""
        return f"{self.prefix}pulse.participant-keys"

    @property
    def events(self) -> str:
        return f"{self.prefix}pulse.events"

    @property
    def attendance(self) -> str:
        return f"{self.prefix}pulse.attendance"

    @property
    def partners(self) -> str:
        return f"{self.prefix}pulse.partners"

    @property
    def counters(self) -> str:
        return f"{self.prefix}pulse.counters"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}pulse.deadletter"

    @property
    def partials(self) -> str:
        """Compacted, one partition: each fact partition's latest partial figures, merged by one metrics instance."""
        return f"{self.prefix}pulse.partials"

    def all(self) -> list[str]:
        return [
            self.participants,
            self.participant_keys,
            self.events,
            self.attendance,
            self.partners,
            self.counters,
            self.deadletter,
            self.partials,
        ]
