"""The merged facts of one fact partition, with every programme's tallies kept current as facts merge in.

A partition holds its participants and their attendance (both topics are keyed by participant id) and a
copy of every event. A merged fact counts out the attendance it touches as it stood, then counts it in
again as it now stands, so a merge costs what it touches, not a pass over all attendance. Everything is
held as core types (tuples, dicts, lists, strings), so `state()` is stored and loaded whole
(metrics.repository.codec) instead of merging the facts again one by one (~20 us each).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from metrics.domain.facts import AttendanceFact, AttendanceKey, EventFact, Fact, ParticipantFact, newer
from metrics.domain.tallies import ProgrammeTally

Attended = tuple[str, str]  # (programme_id, checked_in_at)


class PartitionFacts:
    """Participants, events and attendance of one partition, their indexes and their tallies."""

    def __init__(self) -> None:
        self.participants: dict[str, ParticipantFact] = {}
        self.events: dict[str, EventFact] = {}
        self.attendance: dict[AttendanceKey, Attended] = {}
        self.by_participant: dict[str, list[AttendanceKey]] = {}
        self.by_event: dict[str, list[AttendanceKey]] = {}
        self.tallies: dict[str, ProgrammeTally] = {}

    def __len__(self) -> int:
        """Participants and attendance held (events are everyone's)."""
        return len(self.participants) + len(self.attendance)

    def merge(self, facts: Iterable[Fact]) -> bool:
        """Merge facts in; True when anything changed."""
        changed = False
        for fact in facts:
            if isinstance(fact, AttendanceFact):
                changed |= self._merge_attendance(fact)
            elif isinstance(fact, ParticipantFact):
                held_p = self.participants.get(fact.participant_id)
                if held_p is None or newer(fact, held_p):
                    touched = self.by_participant.get(fact.participant_id, ())
                    self._count(touched, -1)
                    self.participants[fact.participant_id] = fact
                    self._count(touched, 1)
                    changed = True
            else:
                held_e = self.events.get(fact.event_id)
                if held_e is None or newer(fact, held_e):
                    touched = self.by_event.get(fact.event_id, ())
                    self._count(touched, -1)
                    self.events[fact.event_id] = fact
                    self._count(touched, 1)
                    changed = True
        return changed

    def _merge_attendance(self, fact: AttendanceFact) -> bool:
        key = (fact.event_id, fact.participant_id)
        held = self.attendance.get(key)
        if held is not None and fact.checked_in_at >= held[1]:
            return False
        if held is None:
            self.by_participant.setdefault(fact.participant_id, []).append(key)
            self.by_event.setdefault(fact.event_id, []).append(key)
        else:
            self._count((key,), -1)  # counted out and in again as the attendance now stands
        self.attendance[key] = (fact.programme_id, fact.checked_in_at)
        self._count((key,), 1)
        return True

    def _count(self, keys: Iterable[AttendanceKey], sign: int) -> None:
        for key in keys:
            event = self.events.get(key[0])
            participant = self.participants.get(key[1])
            if event is None or participant is None or event.cancelled:
                continue
            programme_id = self.attendance[key][0]
            programme = self.tallies.get(programme_id)
            if programme is None:
                programme = self.tallies[programme_id] = ProgrammeTally()
            programme.add(event, participant, sign)

    def all_facts(self) -> list[Fact]:
        """Every fact held, as facts (to merge one partition's state into another's)."""
        facts: list[Fact] = [*self.participants.values(), *self.events.values()]
        facts.extend(
            AttendanceFact(programme_id, event_id, participant_id, checked_in_at)
            for (event_id, participant_id), (programme_id, checked_in_at) in self.attendance.items()
        )
        return facts

    def state(self) -> dict[str, Any]:
        """Everything held, as core types only (named tuples become plain tuples)."""
        return {
            "participants": [tuple(p) for p in self.participants.values()],
            "events": [tuple(e) for e in self.events.values()],
            "attendance": self.attendance,
            "by_participant": self.by_participant,
            "by_event": self.by_event,
            "tallies": {programme_id: tally.state() for programme_id, tally in self.tallies.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> PartitionFacts:
        facts = cls()
        facts.participants = {p[0]: p for p in map(ParticipantFact._make, state["participants"])}
        facts.events = {e[0]: e for e in map(EventFact._make, state["events"])}
        facts.attendance = state["attendance"]
        facts.by_participant = state["by_participant"]
        facts.by_event = state["by_event"]
        facts.tallies = {pid: ProgrammeTally.from_state(t) for pid, t in state["tallies"].items()}
        return facts
