"""The impact statement: the programme's figures as the few plain English sentences a funder quotes.

It follows the shape of the programme's own article ("1,500 trainees attended industry training; 15,000
students took part across 170 events; 75 future leaders from 23 organisations; 67% female; 45% from ethnic
minority backgrounds") and is written only from the figures it is given, so the public statement carries
the disclosure control of the public figures and says so (docs/privacy.md, Disclosure control).
Percentages are whole numbers rounded half up from the counts (66.67% is written 67%), and it says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.contracts.counters import ProgrammeFigures, Share

ROUNDING = "Percentages are rounded to the nearest whole number (halves up)."


def whole_percent(part: int, whole: int) -> int:
    """100 * part / whole rounded half up, in integers (no float ever rounds 66.5 down)."""
    return (200 * part + whole) // (2 * whole)


def month_name(month: str) -> str:
    """`2025-03` as `March 2025`."""
    return date.fromisoformat(f"{month}-01").strftime("%B %Y")


@dataclass(frozen=True)
class Statement:
    programme_id: str
    sentences: list[str]
    public: bool
    first_month: str | None  # `YYYY-MM` of the first and last event with counted attendance
    last_month: str | None
    as_of: datetime | None
    # The shares the statement quotes, as whole percentages: None when not shown
    women_percent: int | None
    minority_percent: int | None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


class _Counts:
    """Counts as the statement writes them: with thousands separators, and a public 0 that may hide a count
    below the smallest shown written as "fewer than N"."""

    def __init__(self, figures: ProgrammeFigures) -> None:
        self._withheld_below = figures.smallest_shown if figures.disclosure_controlled else None

    def __call__(self, count: int, one: str, many: str) -> str:
        if count == 0 and self._withheld_below:
            return f"fewer than {self._withheld_below:,} {many}"
        return f"{count:,} {one if count == 1 else many}"


def _period(figures: ProgrammeFigures) -> tuple[str | None, str | None]:
    months = sorted(
        month for month, row in figures.breakdowns.get("month", {}).items() if row.get("attendances")
    )
    return (months[0], months[-1]) if months else (None, None)


def _share(share: Share | None, population: int) -> int | None:
    if share is None or share.count is None or not population:
        return None
    return whole_percent(share.count, population)


def _shares_sentence(figures: ProgrammeFigures, women: int | None, minority: int | None) -> str | None:
    if not figures.leaders:
        return None
    parts = [
        f"{women}% are women" if women is not None else "the share of women is not shown",
        f"{minority}% are from ethnic minority backgrounds"
        if minority is not None
        else "the share from ethnic minority backgrounds is not shown",
    ]
    withheld = (
        f" (groups smaller than {figures.smallest_shown} are withheld)"
        if None in (women, minority) and figures.smallest_shown
        else ""
    )
    return f"Of these leaders, {parts[0]} and {parts[1]}{withheld}."


_TARGET_WORDS = {
    "trainees_trained": ("trainee", "trainees"),
    "students_reached": ("student", "students"),
    "events_delivered": ("event", "events"),
    "attendances": ("attendance", "attendances"),
    "leaders": ("future leader", "future leaders"),
    "leader_organisations": ("organisation", "organisations"),
}


def _targets_sentence(figures: ProgrammeFigures) -> str | None:
    parts = [
        f"{whole_percent(progress.actual, progress.target)}% of its target of {progress.target:,} "
        f"{_TARGET_WORDS[name][progress.target != 1]}"
        for name, progress in figures.targets.items()
        if name in _TARGET_WORDS and progress.target > 0
    ]
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Against its targets, the programme has reached {listed}."


def _disclosure_sentence(figures: ProgrammeFigures) -> str:
    if not figures.disclosure_controlled:
        return f"These are exact figures, not for publication. {ROUNDING}"
    withheld = f" Counts below {figures.smallest_shown} are not shown." if figures.smallest_shown else ""
    return (
        f"These are the published figures: to protect individuals, every count is rounded to the nearest "
        f"{figures.rounding_base or 1} and percentages are worked out from the rounded counts.{withheld} "
        f"{ROUNDING}"
    )


def impact_statement(figures: ProgrammeFigures) -> Statement:
    """The statement of the given figures (exact or public), one sentence per part of the article."""
    count = _Counts(figures)
    name = figures.programme_id.upper()
    first, last = _period(figures)
    leader_shares = figures.shares.get("leaders", {})
    women = _share(leader_shares.get("gender", {}).get("female"), figures.leaders)
    minority = _share(leader_shares.get("ethnic_minority", {}).get("yes"), figures.leaders)
    if first is None or last is None:
        opening = f"No attendance has been counted for the {name} programme yet."
    elif first == last:
        opening = f"In {month_name(first)}, the {name} programme delivered {count(figures.events_delivered, 'event', 'events')}."
    else:
        opening = (
            f"From {month_name(first)} to {month_name(last)}, the {name} programme delivered "
            f"{count(figures.events_delivered, 'event', 'events')}."
        )
    sentences = [
        opening,
        f"{count(figures.trainees_trained, 'trainee', 'trainees')} attended industry training, and "
        f"{count(figures.students_reached, 'student', 'students')} took part across "
        f"{count(figures.events_delivered, 'event', 'events')}.",
        f"{count(figures.leaders, 'future leader', 'future leaders')} from "
        f"{count(figures.leader_organisations, 'organisation', 'organisations')} took part in the accelerator.",
    ]
    sentences.extend(
        s for s in (_shares_sentence(figures, women, minority), _targets_sentence(figures)) if s is not None
    )
    as_of = figures.updated_at
    sentences.append(
        (f"Figures as of {as_of.strftime('%-d %B %Y, %H:%M UTC')}. " if as_of else "")
        + _disclosure_sentence(figures)
    )
    return Statement(
        programme_id=figures.programme_id,
        sentences=[s[0].upper() + s[1:] for s in sentences],
        public=figures.disclosure_controlled,
        first_month=first,
        last_month=last,
        as_of=as_of,
        women_percent=women,
        minority_percent=minority,
    )
