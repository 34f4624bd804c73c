"""The merged facts of one fact partition, with every programme's tallies kept current as facts merge in.

A partition holds its participants and their attendance (both topics are keyed by participant id) and a
copy of every event. A merged fact counts out the attendance it touches as it stood, then counts it in
again as it now stands, so a merge costs what it touches, not a pass over all attendance. Everything is
held as core types (tuples, dicts, lists, strings), so `state()` is stored and loaded whole
(metrics.repository.codec) instead of merging the facts again one by one (~20 us each).

A participant counts as `member()`: opened with their data key once it is held (a participant with sealed
fields is not counted before), or as published when nothing is sealed. An erased participant is held stripped of categories and
organisation, and their key is dropped; their attendance still counts (docs/architecture.md, Erasure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from metrics.domain.facts import (
    AttendanceFact,
    AttendanceKey,
    ErasedFact,
    EventFact,
    Fact,
    KeyFact,
    ParticipantFact,
    newer,
    opened,
    stripped,
)
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
        self.keys: dict[str, bytes] = {}
        self.erased: set[str] = set()
        self.opened: dict[str, ParticipantFact] = {}  # participants with a key, their sealed fields opened

    def member(self, participant_id: str) -> ParticipantFact | None:
        """The participant as counted; None until known. Sealed fields count once the key is held (as an
        attendance counts once its participant is), so a figure never counts them as not disclosed first."""
        held = self.opened.get(participant_id)
        if held is not None:
            return held
        held = self.participants.get(participant_id)
        return None if held is None or held.sealed is not None else held

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
                pid = fact.participant_id
                if pid in self.erased:
                    fact = stripped(fact)
                held_p = self.participants.get(pid)
                if held_p is None or newer(fact, held_p):
                    self._recount(pid, partial(self._hold_participant, fact))
                    changed = True
            elif isinstance(fact, KeyFact):
                held_k = self.keys.get(fact.participant_id)
                if fact.participant_id not in self.erased and (held_k is None or fact.key < held_k):
                    self._recount(fact.participant_id, partial(self._hold_key, fact))
                    changed = True
            elif isinstance(fact, ErasedFact):
                if fact.participant_id not in self.erased:
                    self._recount(fact.participant_id, partial(self._erase, fact.participant_id))
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

    def _recount(self, participant_id: str, change: Callable[[], None]) -> None:
        """Count the participant's attendance out, change how they count, and count it in again."""
        touched = self.by_participant.get(participant_id, ())
        self._count(touched, -1)
        change()
        self._count(touched, 1)

    def _hold_participant(self, fact: ParticipantFact) -> None:
        self.participants[fact.participant_id] = fact
        key = self.keys.get(fact.participant_id)
        if key is not None and fact.sealed is not None:
            self.opened[fact.participant_id] = opened(fact, key)
        else:
            self.opened.pop(fact.participant_id, None)

    def _hold_key(self, fact: KeyFact) -> None:
        self.keys[fact.participant_id] = fact.key
        held = self.participants.get(fact.participant_id)
        if held is not None and held.sealed is not None:
            self.opened[fact.participant_id] = opened(held, fact.key)

    def _erase(self, pid: str) -> None:
        self.erased.add(pid)
        self.keys.pop(pid, None)
        self.opened.pop(pid, None)
        held = self.participants.get(pid)
        if held is not None:
            self.participants[pid] = stripped(held)

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
            participant = self.member(key[1])
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
        facts.extend(KeyFact(pid, key) for pid, key in self.keys.items())
        facts.extend(ErasedFact(pid) for pid in self.erased)
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
            "keys": self.keys,
            "erased": self.erased,
            "opened": [tuple(p) for p in self.opened.values()],
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
        facts.keys = state["keys"]
        facts.erased = state["erased"]
        facts.opened = {p[0]: p for p in map(ParticipantFact._make, state["opened"])}
        return facts
