"""The impact statement says exactly what the figures say: generated programmes (zero, one, suppressed cells,
public and exact) and RESILIENCE's own plan, read back out of the sentences."""

from __future__ import annotations

import re
from datetime import datetime
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit.merged import NOW, merged_figures

from metrics.domain.disclosure import ONS_10_5, ROUND_5, public_figures
from metrics.domain.statement import impact_statement
from pulse_demo.expected import expected_figures as demo_expected
from pulse_demo.programme import Shape, generate
from shared.contracts.counters import ProgrammeFigures, Share

COUNT = r"(fewer than [\d,]+|[\d,]+)"


def figures_of(seed: int, participants: int, events: int, attendances: int) -> ProgrammeFigures:
    return merged_figures(seed, participants, events, attendances)


def number(text: str, figures: ProgrammeFigures) -> int:
    """A count read back: "fewer than N" is a public 0 that may hide a count below the smallest shown."""
    if text.startswith("fewer than"):
        assert figures.disclosure_controlled
        assert text == f"fewer than {figures.smallest_shown}"
        return 0
    return int(text.replace(",", ""))


def half_up(part: int, whole: int) -> int:
    return int(Fraction(100 * part, whole) + Fraction(1, 2))


def assert_says_the_figures(figures: ProgrammeFigures) -> None:
    statement = impact_statement(figures)
    text = statement.text
    said = re.search(rf"{COUNT} trainees? attended industry training", text, re.I)
    assert said, text
    assert number(said[1].lower(), figures) == figures.trainees_trained
    said = re.search(rf"{COUNT} students? took part across {COUNT} events?\.", text)
    assert said, text
    assert number(said[1], figures) == figures.students_reached
    assert number(said[2], figures) == figures.events_delivered
    said = re.search(rf"{COUNT} future leaders? from {COUNT} organisations? took part", text, re.I)
    assert said, text
    assert number(said[1].lower(), figures) == figures.leaders
    assert number(said[2], figures) == figures.leader_organisations
    for category, dimension, words in (
        ("female", "gender", "are women"),
        ("yes", "ethnic_minority", "are from ethnic minority backgrounds"),
    ):
        share = figures.shares["leaders"][dimension][category]
        said = re.search(rf"(\d+)% {words}", text)
        if figures.leaders and share.count is not None:
            assert said, text
            assert int(said[1]) == half_up(share.count, figures.leaders)
        else:
            assert said is None, text
    if figures.leaders and None in (
        figures.shares["leaders"]["gender"]["female"].count,
        figures.shares["leaders"]["ethnic_minority"]["yes"].count,
    ):
        assert "is not shown" in text
        assert f"smaller than {figures.smallest_shown} are withheld" in text
    for progress in figures.targets.values():
        assert f"{half_up(progress.actual, progress.target)}% of its target of {progress.target:,}" in text
    assert "Percentages are rounded to the nearest whole number (halves up)." in text
    if figures.disclosure_controlled:
        assert f"every count is rounded to the nearest {figures.rounding_base}" in text
        assert "published figures" in text
        assert "not for publication" not in text
    else:
        assert "These are exact figures, not for publication." in text
    months = sorted(m for m, row in figures.breakdowns["month"].items() if row.get("attendances"))
    if months:
        first = datetime.strptime(months[0], "%Y-%m").strftime("%B %Y")
        assert first in statement.sentences[0]
    else:
        assert statement.sentences[0].startswith("No attendance has been counted")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    participants=st.integers(1, 40),
    events=st.integers(1, 4),
    attendances=st.integers(0, 80),
)
def test_the_statement_says_the_figures_exact_and_public(
    seed: int, participants: int, events: int, attendances: int
) -> None:
    exact = figures_of(seed, participants, events, attendances)
    assert_says_the_figures(exact)
    for rule in (ROUND_5, ONS_10_5):
        assert_says_the_figures(public_figures(exact, rule, NOW))


def test_nothing_counted_says_so() -> None:
    exact = figures_of(1, participants=5, events=1, attendances=0)
    statement = impact_statement(exact)
    assert statement.sentences[0] == "No attendance has been counted for the RESILIENCE programme yet."
    assert (
        "0 trainees attended industry training, and 0 students took part across 0 events." in statement.text
    )
    assert "% are women" not in statement.text
    public = impact_statement(public_figures(exact, ONS_10_5, NOW)).text
    assert "Fewer than 10 trainees attended industry training" in public


def one_of_each(female: int | None, minority: int | None) -> ProgrammeFigures:
    def share(count: int | None) -> Share:
        return Share(count=count, percent=None, suppressed=count is None)

    return ProgrammeFigures(
        programme_id="resilience",
        trainees_trained=1,
        students_reached=1,
        events_delivered=1,
        attendances=3,
        leaders=1,
        leader_organisations=1,
        shares={
            "leaders": {
                "gender": {"female": share(female)},
                "ethnic_minority": {"yes": share(minority)},
            }
        },
        breakdowns={"month": {"2025-03": {"attendances": 3}}},
        targets={},
        disclosure_controlled=female is None,
        updated_at=NOW,
        rounding_base=5 if female is None else None,
        smallest_shown=10 if female is None else None,
    )


def test_one_of_each_is_singular_and_a_withheld_share_is_not_shown() -> None:
    exact = impact_statement(one_of_each(female=1, minority=0))
    assert exact.sentences[:3] == [
        "In March 2025, the RESILIENCE programme delivered 1 event.",
        "1 trainee attended industry training, and 1 student took part across 1 event.",
        "1 future leader from 1 organisation took part in the accelerator.",
    ]
    assert "Of these leaders, 100% are women and 0% are from ethnic minority backgrounds." in exact.text
    withheld = impact_statement(one_of_each(female=None, minority=None))
    assert (
        "Of these leaders, the share of women is not shown and the share from ethnic minority backgrounds "
        "is not shown (groups smaller than 10 are withheld)."
    ) in withheld.text
    assert (withheld.women_percent, withheld.minority_percent) == (None, None)


@pytest.fixture(scope="module")
def resilience() -> ProgrammeFigures:
    """RESILIENCE's planned figures as the merger would publish them (exact)."""
    plan = demo_expected(generate(Shape()))
    counters = plan.counters
    return ProgrammeFigures(
        programme_id="resilience",
        **counters,
        shares={
            population: {
                dimension: {c: Share(count=n, percent=None) for c, n in categories.items()}
                for dimension, categories in dimensions.items()
            }
            for population, dimensions in plan.shares.items()
        },
        breakdowns={"month": {m: {"attendances": n} for m, n in plan.attendances_by["month"].items()}},
        targets={},
        disclosure_controlled=False,
        updated_at=NOW,
    )


def test_resilience_reads_as_its_article(resilience: ProgrammeFigures) -> None:
    statement = impact_statement(resilience)
    assert statement.sentences[1:4] == [
        "1,500 trainees attended industry training, and 15,000 students took part across 170 events.",
        "75 future leaders from 23 organisations took part in the accelerator.",
        "Of these leaders, 67% are women and 45% are from ethnic minority backgrounds.",
    ]
    assert (
        statement.sentences[0]
        == "From December 2024 to October 2026, the RESILIENCE programme delivered 170 events."
    )
    assert_says_the_figures(resilience)
