"""A partition's partial figures, and the exact merge of one partial per partition into programme figures.

Counts of distinct participants add up across partitions because a participant lives in one; events and
leader organisations do not, so they are merged as sets: events as bitmaps of their ranks
(metrics.domain.event_sets), organisations as ids (docs/architecture.md, Metrics partitions and merge).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from metrics.domain.event_sets import EventRank, add_events, count_events, encode_events
from metrics.domain.partition_facts import PartitionFacts
from metrics.domain.tallies import BREAKDOWNS, CATEGORIES, POPULATIONS, ProgrammeTally, Tally
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share, TargetProgress
from shared.contracts.partials import CellPartial, PartitionPartial, ProgrammePartial


def _cell(tally: Tally, ranks: Mapping[str, EventRank]) -> CellPartial:
    members = tally.members
    return CellPartial(
        attendances=tally.attendances,
        **{population: len(members[population]) for population in POPULATIONS},
        events=encode_events(members["events_delivered"], ranks),
        leader_organisation_ids=list(members["leader_organisations"]),
    )


def _first_months(tally: ProgrammeTally) -> dict[str, dict[str, int]]:
    """How many of each population's members joined in each month: their first month of attendance."""
    return {population: dict(months) for population, months in tally.joined.items()}


def programme_partials(facts: PartitionFacts, ranks: Mapping[str, EventRank]) -> dict[str, ProgrammePartial]:
    """Each programme's share of the figures held by one partition (cells without attendance left out)."""
    partials: dict[str, ProgrammePartial] = {}
    for programme_id, tally in facts.tallies.items():
        if not tally.total.attendances:
            continue
        assert tally.total.shares is not None
        partials[programme_id] = ProgrammePartial(
            total=_cell(tally.total, ranks),
            shares=tally.total.shares,
            breakdowns={
                by: {key: _cell(cell, ranks) for key, cell in cells.items() if cell.attendances}
                for by, cells in tally.slices.items()
            },
            first_months=_first_months(tally),
        )
    return partials


@dataclass
class _MergedCell:
    attendances: int = 0
    populations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POPULATIONS, 0))
    events: dict[int, int] = field(default_factory=dict)  # bitmaps by partition of pulse.events
    organisations: set[str] = field(default_factory=set)

    def add(self, cell: CellPartial) -> None:
        self.attendances += cell.attendances
        for population in POPULATIONS:
            self.populations[population] += getattr(cell, population)
        add_events(self.events, cell.events)
        self.organisations.update(cell.leader_organisation_ids)

    def counters(self) -> dict[str, int]:
        return {
            "trainees_trained": self.populations["trainees_trained"],
            "students_reached": self.populations["students_reached"],
            "events_delivered": count_events(self.events),
            "attendances": self.attendances,
            "leaders": self.populations["leaders"],
            "leader_organisations": len(self.organisations),
        }


@dataclass
class _MergedProgramme:
    total: _MergedCell = field(default_factory=_MergedCell)
    shares: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: {
            population: {dimension: dict.fromkeys(names, 0) for dimension, names in CATEGORIES.items()}
            for population in POPULATIONS
        }
    )
    breakdowns: dict[str, dict[str, _MergedCell]] = field(
        default_factory=lambda: {by: {} for by in BREAKDOWNS}
    )
    first_months: dict[str, dict[str, int]] = field(
        default_factory=lambda: {population: {} for population in POPULATIONS}
    )

    def add(self, partial: ProgrammePartial) -> None:
        self.total.add(partial.total)
        for population, dimensions in partial.shares.items():
            for dimension, categories in dimensions.items():
                merged = self.shares[population][dimension]
                for category, count in categories.items():
                    merged[category] = merged.get(category, 0) + count
        for by, cells in partial.breakdowns.items():
            merged_cells = self.breakdowns[by]
            for key, cell in cells.items():
                merged_cells.setdefault(key, _MergedCell()).add(cell)
        for population, months in partial.first_months.items():
            merged_months = self.first_months[population]
            for month, joined in months.items():
                merged_months[month] = merged_months.get(month, 0) + joined

    def reach_by_month(self) -> dict[str, dict[str, int | None]]:
        """Each counter as it stood at the end of each month: unions of the months so far, not sums, for
        the events and organisations that recur across months; joiners for the populations."""
        reach: dict[str, dict[str, int | None]] = {}
        so_far = _MergedCell()
        joined = dict.fromkeys(POPULATIONS, 0)
        for month, cell in sorted(self.breakdowns["month"].items()):
            so_far.attendances += cell.attendances
            for partition, bitmap in cell.events.items():
                so_far.events[partition] = so_far.events.get(partition, 0) | bitmap
            so_far.organisations.update(cell.organisations)
            for population in POPULATIONS:
                joined[population] += self.first_months[population].get(month, 0)
            so_far.populations = dict(joined)
            reach[month] = dict(so_far.counters())
        return reach


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def _progress(actuals: Mapping[str, int], targets: Mapping[str, int]) -> dict[str, TargetProgress]:
    return {
        name: TargetProgress(
            target=target, actual=actuals[name], percent=round(100 * actuals[name] / target, 1)
        )
        for name, target in targets.items()
        if name in COUNTER_NAMES and target > 0
    }


# The partner names of a programme and of the partners its breakdown names: (programme_id, partner ids).
PartnerNames = Callable[[str, Collection[str]], Mapping[str, str]]


def merge_partials(
    partials: Iterable[PartitionPartial],
    programme_ids: Iterable[str],
    targets: Mapping[str, Mapping[str, int]],
    now: datetime,
    partner_names: PartnerNames = lambda programme_id, partner_ids: {},
) -> dict[str, ProgrammeFigures]:
    """Exact figures of the given programmes and of every programme with counted attendance."""
    merged: dict[str, _MergedProgramme] = {}
    for partial in partials:
        for programme_id, part in partial.programmes.items():
            merged.setdefault(programme_id, _MergedProgramme()).add(part)
    figures: dict[str, ProgrammeFigures] = {}
    for programme_id in sorted({*programme_ids, *merged}):
        programme = merged.get(programme_id) or _MergedProgramme()
        counters = programme.total.counters()
        figures[programme_id] = ProgrammeFigures(
            programme_id=programme_id,
            **counters,
            shares={
                population: {
                    dimension: {
                        name: Share(count=n, percent=_percent(n, counters[population]))
                        for name, n in categories.items()
                    }
                    for dimension, categories in dimensions.items()
                }
                for population, dimensions in programme.shares.items()
            },
            breakdowns={
                by: {key: cell.counters() for key, cell in sorted(cells.items())}
                for by, cells in programme.breakdowns.items()
            },
            targets=_progress(counters, targets.get(programme_id, {})),
            disclosure_controlled=False,
            updated_at=now,
            reach_by_month=programme.reach_by_month(),
            partner_names=dict(partner_names(programme_id, programme.breakdowns["partner"].keys())),
        )
    return figures
