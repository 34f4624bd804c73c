"""A partition's partial figures, and the exact merge of one partial per partition into programme figures.

Counts of distinct participants add up across partitions because a participant lives in one; events and
leader organisations do not, so they are merged as sets: events as bitmaps of their ranks
(metrics.domain.event_sets), organisations as ids (docs/architecture.md, Metrics partitions and merge).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


class Organisations:
    """Leader organisations numbered as the merger first meets them, so that a cell holds its organisations
    as a bitmap: a partial lists them by id, and a million attendances' partials held as lists of ids were
    ~40 MB of copies of the same 12,500 ids in the merger."""

    def __init__(self) -> None:
        self._bits: dict[str, int] = {}

    def bitmap(self, organisation_ids: Iterable[str]) -> int:
        bits = self._bits
        found = bytearray()
        for organisation_id in organisation_ids:
            bit = bits.get(organisation_id)
            if bit is None:
                bit = bits[organisation_id] = len(bits)
            byte = bit >> 3
            if byte >= len(found):
                found.extend(bytes(byte + 1 - len(found)))
            found[byte] |= 1 << (bit & 7)
        return int.from_bytes(found, "little")


@dataclass
class MergedCell:
    """A cell's figures summed over partitions: counts added, events and organisations as bitmaps."""

    attendances: int = 0
    populations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POPULATIONS, 0))
    events: dict[int, int] = field(default_factory=dict)  # bitmaps by partition of pulse.events
    organisations: int = 0  # bitmap over `Organisations`

    @classmethod
    def of(cls, cell: CellPartial, organisations: Organisations) -> MergedCell:
        merged = cls(
            attendances=cell.attendances,
            populations={population: getattr(cell, population) for population in POPULATIONS},
            organisations=organisations.bitmap(cell.leader_organisation_ids),
        )
        add_events(merged.events, cell.events)
        return merged

    def add(self, other: MergedCell) -> None:
        self.attendances += other.attendances
        for population, count in other.populations.items():
            self.populations[population] += count
        for partition, bitmap in other.events.items():
            self.events[partition] = self.events.get(partition, 0) | bitmap
        self.organisations |= other.organisations

    def counters(self) -> dict[str, int]:
        return {
            "trainees_trained": self.populations["trainees_trained"],
            "students_reached": self.populations["students_reached"],
            "events_delivered": count_events(self.events),
            "attendances": self.attendances,
            "leaders": self.populations["leaders"],
            "leader_organisations": self.organisations.bit_count(),
        }


@dataclass
class MergedProgramme:
    """A programme's figures summed over partitions; one partition's partial is held in this form too."""

    total: MergedCell = field(default_factory=MergedCell)
    shares: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: {
            population: {dimension: dict.fromkeys(names, 0) for dimension, names in CATEGORIES.items()}
            for population in POPULATIONS
        }
    )
    breakdowns: dict[str, dict[str, MergedCell]] = field(
        default_factory=lambda: {by: {} for by in BREAKDOWNS}
    )
    first_months: dict[str, dict[str, int]] = field(
        default_factory=lambda: {population: {} for population in POPULATIONS}
    )

    @classmethod
    def of(cls, partial: ProgrammePartial, organisations: Organisations) -> MergedProgramme:
        programme = cls(total=MergedCell.of(partial.total, organisations))
        _add_counts(programme.shares, partial.shares)
        for by, cells in partial.breakdowns.items():
            programme.breakdowns[by] = {
                key: MergedCell.of(cell, organisations) for key, cell in cells.items()
            }
        _add_counts(programme.first_months, partial.first_months)
        return programme

    def add(self, other: MergedProgramme) -> None:
        self.total.add(other.total)
        _add_counts(self.shares, other.shares)
        for by, cells in other.breakdowns.items():
            merged_cells = self.breakdowns[by]
            for key, cell in cells.items():
                merged_cells.setdefault(key, MergedCell()).add(cell)
        _add_counts(self.first_months, other.first_months)

    def reach_by_month(self) -> dict[str, dict[str, int | None]]:
        """Each counter as it stood at the end of each month: unions of the months so far, not sums, for
        the events and organisations that recur across months; joiners for the populations."""
        reach: dict[str, dict[str, int | None]] = {}
        so_far = MergedCell()
        joined = dict.fromkeys(POPULATIONS, 0)
        for month, cell in sorted(self.breakdowns["month"].items()):
            so_far.attendances += cell.attendances
            for partition, bitmap in cell.events.items():
                so_far.events[partition] = so_far.events.get(partition, 0) | bitmap
            so_far.organisations |= cell.organisations
            for population in POPULATIONS:
                joined[population] += self.first_months[population].get(month, 0)
            so_far.populations = dict(joined)
            reach[month] = dict(so_far.counters())
        return reach


def _add_counts(into: dict[str, Any], counts: Mapping[str, Any]) -> None:
    """Add nested counts (`shares` or `first_months`) into `into`, key by key."""
    for key, value in counts.items():
        if isinstance(value, Mapping):
            _add_counts(into.setdefault(key, {}), value)
        else:
            into[key] = into.get(key, 0) + value


PartitionProgrammes = Mapping[str, MergedProgramme]  # one partition's partial, as held by the merger


def held_programmes(partial: PartitionPartial, organisations: Organisations) -> dict[str, MergedProgramme]:
    """One partition's partial in the form the merger holds and sums."""
    return {pid: MergedProgramme.of(part, organisations) for pid, part in partial.programmes.items()}


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
    organisations = Organisations()
    held = [held_programmes(partial, organisations) for partial in partials]
    return merged_figures(held, programme_ids, targets, now, partner_names)


def merged_figures(
    partitions: Iterable[PartitionProgrammes],
    programme_ids: Iterable[str],
    targets: Mapping[str, Mapping[str, int]],
    now: datetime,
    partner_names: PartnerNames = lambda programme_id, partner_ids: {},
) -> dict[str, ProgrammeFigures]:
    """Exact figures summed over one held partial per partition."""
    merged: dict[str, MergedProgramme] = {}
    for programmes in partitions:
        for programme_id, part in programmes.items():
            merged.setdefault(programme_id, MergedProgramme()).add(part)
    figures: dict[str, ProgrammeFigures] = {}
    for programme_id in sorted({*programme_ids, *merged}):
        programme = merged.get(programme_id) or MergedProgramme()
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
