"""Statistical disclosure control of public figures (docs/privacy.md, Disclosure control).

Every public count, totals included, is rounded to a multiple of a base larger than the counts it protects
(conventional rounding), so any sum or difference of published numbers, within one release or between
two, is a multiple of the base: never a count from 1 to base - 1. Percentages are computed from the rounded
counts only. `PublicReleases` decides when new public figures are released, so that the change one
arrival makes cannot be singled out. Admin figures are never touched here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share, TargetProgress


@dataclass(frozen=True)
class DisclosureRule:
    """Counts are rounded to `base`; true counts below `smallest_shown` are withheld as well."""

    name: str
    base: int
    smallest_shown: int = 0

    @property
    def threshold(self) -> int:
        """No count from 1 to this can be derived from published numbers (all are multiples of base)."""
        return self.base - 1

    def rounded(self, count: int) -> int:
        """The nearest multiple of the base (half up): with base 5, 1-2 become 0 and 3-7 become 5."""
        return (count + self.base // 2) // self.base * self.base

    def cell(self, count: int) -> int | None:
        """A share or breakdown cell: rounded, or None (withheld) when below the smallest shown."""
        return None if count < self.smallest_shown else self.rounded(count)

    def headline(self, count: int) -> int:
        """A headline counter (an integer in the contract): rounded, 0 when below the smallest shown."""
        return 0 if count < self.smallest_shown else self.rounded(count)


# The default: every count rounded to the nearest 5, so nothing from 1 to 4 can be derived.
ROUND_5 = DisclosureRule("round-5", base=5)
# ONS-style 10/5: nothing below 10 is shown (zero included), every count shown is rounded to the nearest 5.
ONS_10_5 = DisclosureRule("ons-10-5", base=5, smallest_shown=10)
RULES = {rule.name: rule for rule in (ROUND_5, ONS_10_5)}


def _percent(part: int | None, whole: int) -> float | None:
    return round(100 * part / whole, 2) if part is not None and whole else None


def _share(count: int, population: int, rule: DisclosureRule) -> Share:
    shown = rule.cell(count)
    if shown is None:
        return Share(count=None, percent=None, suppressed=True)
    return Share(count=shown, percent=_percent(shown, population))


def _rows(rows: dict[str, dict[str, int | None]], rule: DisclosureRule) -> dict[str, dict[str, int | None]]:
    """Each row's cells rounded; a row left with nothing but 0 and withheld cells is left out."""
    public = {
        key: {name: None if value is None else rule.cell(value) for name, value in counters.items()}
        for key, counters in rows.items()
    }
    return {key: row for key, row in public.items() if any(row.values())}


def public_figures(exact: ProgrammeFigures, rule: DisclosureRule, released_at: datetime) -> ProgrammeFigures:
    """The public version of exact figures: every count rounded, percentages from the rounded counts.

    A breakdown row whose every public value is 0 or withheld is left out: its presence alone would say
    that a count from 1 to the threshold hides there.
    """
    headline = {name: rule.headline(getattr(exact, name)) for name in COUNTER_NAMES}
    shares = {
        population: {
            dimension: {
                name: _share(share.count or 0, headline[population], rule) for name, share in cells.items()
            }
            for dimension, cells in by_dimension.items()
        }
        for population, by_dimension in exact.shares.items()
    }
    breakdowns = {by: _rows(rows, rule) for by, rows in exact.breakdowns.items()}
    # Only the months the public month breakdown shows, each counter rounded like any cell.
    reach_by_month = {
        month: {name: None if value is None else rule.cell(value) for name, value in counters.items()}
        for month, counters in exact.reach_by_month.items()
        if month in breakdowns.get("month", {})
    }
    targets = {
        name: TargetProgress(
            target=progress.target,
            actual=headline[name],
            percent=round(100 * headline[name] / progress.target, 1),
        )
        for name, progress in exact.targets.items()
    }
    return exact.model_copy(
        update={
            **headline,
            "shares": shares,
            "breakdowns": breakdowns,
            "reach_by_month": reach_by_month,
            "targets": targets,
            "disclosure_controlled": True,
            "rounding_base": rule.base,
            "smallest_shown": rule.smallest_shown,
            "updated_at": released_at,
        }
    )


@dataclass(frozen=True)
class ReleaseSchedule:
    """When new public figures may be released (docs/privacy.md, Release schedule)."""

    min_interval: timedelta = timedelta(seconds=60)
    min_attendances: int = 5
    max_hold: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class _Release:
    public: ProgrammeFigures
    exact: ProgrammeFigures  # the exact figures as of the last release decision, without time and names
    decided_at: datetime  # the last release decision, whether or not it showed anything new
    pending_since: datetime | None = None  # when the exact figures first moved away from `exact`
    pending_attendances: int = 0  # attendances added or taken away since `exact`


def _counted(figures: ProgrammeFigures) -> ProgrammeFigures:
    """The figures without their time and partner names: what a release decision compares."""
    return figures.model_copy(update={"updated_at": None, "partner_names": {}})


class PublicReleases:
    """The last public release per programme, and the schedule that decides when the next one is due.

    A release decision is due once `min_interval` passed since the last one and either
    `min_attendances` attendances were added or taken away since, or the exact figures have differed for
    `max_hold`. A decision that would show nothing new keeps the previous public figures (and their
    time) but starts the count again, so the next visible change again needs a whole batch of arrivals:
    the one arrival that happens to cross a rounding boundary is never shown on its own.
    """

    def __init__(self, rule: DisclosureRule, schedule: ReleaseSchedule) -> None:
        self.rule = rule
        self.schedule = schedule
        self._last: dict[str, _Release] = {}

    def release(self, programme_id: str, exact: ProgrammeFigures, now: datetime) -> ProgrammeFigures:
        """The current public figures of the programme: a new release when one is due, else the last.

        Partner names are no count: the current names go out with the current release at once.
        """
        names = exact.partner_names
        exact = _counted(exact)
        last = self._last.get(programme_id)
        if last is None:
            self._last[programme_id] = _Release(public_figures(exact, self.rule, now), exact, now)
        elif exact == last.exact:
            self._last[programme_id] = replace(last, pending_since=None, pending_attendances=0)
        else:
            pending = replace(
                last,
                pending_since=last.pending_since or now,
                pending_attendances=abs(exact.attendances - last.exact.attendances),
            )
            due = self._due_at(pending)
            if due is not None and due <= now:
                candidate = public_figures(exact, self.rule, now)
                shown = last.public if _counted(candidate) == _counted(last.public) else candidate
                pending = _Release(shown, exact, now)
            self._last[programme_id] = pending
        current = self._last[programme_id]
        if current.public.partner_names != names:
            current = replace(current, public=current.public.model_copy(update={"partner_names": names}))
            self._last[programme_id] = current
        return current.public

    def resume(self, programme_id: str, exact: ProgrammeFigures, public: ProgrammeFigures) -> None:
        """Continue from a release another merger published: its public figures stand, and its time (the
        release decision's) starts the schedule, so a change of merger never releases early."""
        decided_at = public.updated_at or exact.updated_at
        if decided_at is not None:
            self._last[programme_id] = _Release(public, _counted(exact), decided_at)

    def next_due(self) -> datetime | None:
        """The earliest time a held release becomes due with no further change; None when none is held."""
        return min((due for last in self._last.values() if (due := self._due_at(last))), default=None)

    def _due_at(self, last: _Release) -> datetime | None:
        if last.pending_since is None:
            return None
        earliest = last.decided_at + self.schedule.min_interval
        if last.pending_attendances >= self.schedule.min_attendances:
            return earliest
        return max(earliest, last.pending_since + self.schedule.max_hold)
