"""The funder's report renders the figures it is given, suppressed cells included."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from metrics.routes.report import report_csv, report_html
from shared.contracts.counters import ProgrammeFigures, Share, TargetProgress


def figures(disclosure_controlled: bool) -> ProgrammeFigures:
    small = (
        Share(count=None, percent=None, suppressed=True)
        if disclosure_controlled
        else Share(count=3, percent=4.0)
    )
    return ProgrammeFigures(
        programme_id="resilience",
        trainees_trained=1500,
        students_reached=15000,
        events_delivered=170,
        attendances=26587,
        leaders=75,
        leader_organisations=23,
        shares={"leaders": {"gender": {"female": Share(count=50, percent=66.7), "non_binary": small}}},
        breakdowns={"nation": {"wales": {"attendances": None if disclosure_controlled else 3}}},
        targets={"leaders": TargetProgress(target=75, actual=75, percent=100.0)},
        disclosure_controlled=disclosure_controlled,
        updated_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        rounding_base=5 if disclosure_controlled else None,
        smallest_shown=10 if disclosure_controlled else None,
    )


def test_csv_has_every_headline_and_marks_suppressed_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(figures(disclosure_controlled=True)))))
    headline = {r["measure"]: r["value"] for r in rows if r["section"] == "headline"}
    assert headline["students_reached"] == "15000"
    assert headline["leader_organisations"] == "23"
    wales = next(r for r in rows if r["section"] == "breakdown:nation" and r["group"] == "wales")
    assert wales["value"] == "suppressed"
    non_binary = [r for r in rows if r["category"] == "non_binary"]
    assert {r["value"] for r in non_binary} == {"suppressed"}
    disclosure = {r["measure"]: r["value"] for r in rows if r["section"] == "disclosure"}
    assert (disclosure["rounded_to_nearest"], disclosure["withheld_below"]) == ("5", "10")
    assert "rounded to the nearest 5" in disclosure["note"]


def test_exact_csv_carries_the_small_numbers() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(figures(disclosure_controlled=False)))))
    wales = next(r for r in rows if r["section"] == "breakdown:nation" and r["group"] == "wales")
    assert wales["value"] == "3"
    assert "Exact figures (not for publication)." in rows[0]["value"]


def test_html_is_one_printable_page_with_the_figures() -> None:
    page = report_html(figures(disclosure_controlled=True), "RESILIENCE")
    assert "@page { size: A4" in page
    assert "15,000" in page
    assert "female 66.7%" in page
    assert "non binary suppressed" in page
    assert "every figure, totals included, is rounded to the nearest 5" in page
    assert "Counts below 10 are not shown" in page
    assert "<script" not in page
