"""The exact figures the merger publishes for a generated programme, from one partition holding every fact."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime

from metrics.domain.facts import attendance_fact, event_fact, participant_fact
from metrics.domain.partials import merge_partials, programme_partials
from metrics.domain.partition_facts import PartitionFacts
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.partials import PartialCoverage, PartitionPartial
from shared.contracts.payloads import AttendanceRecorded, EventChanged, ParticipantChanged
from testkit.facts import generate_programme

NOW = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
TARGETS = {"trainees_trained": 1500, "students_reached": 15000, "events_delivered": 170, "leaders": 75}


def one_partition_figures(
    facts: PartitionFacts,
    ranks: Mapping[str, tuple[int, int]],
    now: datetime,
    targets: Mapping[str, Mapping[str, int]],
    programme_id: str = "resilience",
    names: Mapping[str, str] | None = None,
) -> ProgrammeFigures:
    """The merger's exact figures of one partition holding every fact."""
    partial = PartitionPartial(
        partition=0,
        covers=PartialCoverage(participants=0, attendance=0, events={}),
        owner="test",
        generation=1,
        published_at=now,
        programmes=programme_partials(facts, ranks),
    )
    known = dict(names or {})
    return merge_partials([partial], [programme_id], targets, now, lambda _p, _k: known)[programme_id]


def merged_figures(
    seed: int, participants: int, events: int, attendances: int, targets: Mapping[str, int] = TARGETS
) -> ProgrammeFigures:
    programme = generate_programme(
        random.Random(seed), participants=participants, events=events, attendances=attendances
    )
    facts = PartitionFacts()
    facts.merge(
        participant_fact(p) for p in programme.participants.values() if isinstance(p, ParticipantChanged)
    )
    event_facts = [event_fact(e) for e in programme.events.values() if isinstance(e, EventChanged)]
    facts.merge(event_facts)
    facts.merge(
        attendance_fact(a) for a in programme.attendance.values() if isinstance(a, AttendanceRecorded)
    )
    ranks = {event.event_id: (0, rank) for rank, event in enumerate(event_facts)}
    targets_by_programme = {programme.programme_id: dict(targets)}
    return one_partition_figures(
        facts, ranks, NOW, targets_by_programme, programme.programme_id, programme.partner_names
    )
