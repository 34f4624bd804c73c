"""The funder's report renders the figures it is given, suppressed cells included."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import re
import shutil
import struct
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testkit.merged import merged_figures

from metrics.domain.disclosure import ONS_10_5, public_figures
from metrics.domain.statement import impact_statement
from metrics.routes import report as report_module
from metrics.routes.charts import attendance_chart, reach_chart
from metrics.routes.report import RenderedReports, report_csv, report_html, report_pdf
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share, TargetProgress
from shared.http.problems import ProblemError


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
    assert "<th scope='row'>Female</th><td>50</td><td>66.7%</td>" in page
    assert "<th scope='row'>Non binary</th><td>suppressed</td><td>suppressed</td>" in page
    assert "every figure, totals included, is rounded to the nearest 5" in page
    assert "Counts below 10 are not shown" in page
    assert "<script" not in page


def generated() -> ProgrammeFigures:
    """Exact figures of a generated programme over several months, partners named."""
    return merged_figures(3, participants=200, events=12, attendances=1500)


def chart_values(svg: str) -> list[int | None]:
    """The data points a pygal chart shows, as its SVG carries them."""
    return [
        None if text == "withheld" else int(text.replace(",", ""))
        for text in re.findall(r'<desc class="value">([^<]*)</desc>', svg)
    ]


@pytest.mark.parametrize("public", [False, True], ids=["exact", "public"])
def test_trend_charts_plot_the_month_breakdown(public: bool) -> None:
    figures = generated()
    if public:
        figures = public_figures(figures, ONS_10_5, figures.updated_at or datetime.now(UTC))
    months = sorted(figures.breakdowns["month"])
    assert len(months) > 1
    assert sorted(figures.reach_by_month) == months
    for name in COUNTER_NAMES:
        reached = [figures.reach_by_month[m][name] for m in months]
        target = [figures.targets[name].target] * len(months) if name in figures.targets else []
        # pygal leaves withheld (None) points out of the plot
        assert chart_values(reach_chart(figures, name)) == [v for v in reached if v is not None] + target
        if not public:
            assert reached[-1] == getattr(figures, name)
            assert reached == sorted(reached)  # reach only grows
    if not public:
        # Attendances and events each fall in one month (their event's): their reach is the running sum.
        for name in ("attendances", "events_delivered"):
            monthly = [figures.breakdowns["month"][m][name] for m in months]
            assert [figures.reach_by_month[m][name] for m in months] == list(itertools.accumulate(monthly))
    for by in ("nation", "kind"):
        rows = figures.breakdowns[by]
        assert sorted(chart_values(attendance_chart(figures, by)), key=lambda v: v or 0) == sorted(
            (row["attendances"] for row in rows.values()), key=lambda v: v or 0
        )


def test_bar_chart_labels_are_whole_numbers_not_cut_short() -> None:
    nations = {"england": 15620, "scotland": 6638, "northern_ireland": 2699, "wales": 1630}
    rows = {"nation": {key: {"attendances": value} for key, value in nations.items()}}
    svg = attendance_chart(figures(False).model_copy(update={"breakdowns": rows}), "nation")
    labels = [text for text in re.findall(r">([^<>]+)</text>", svg) if text[0].isdigit()]
    assert "…" not in svg
    assert "15,000" in labels or "14,000" in labels  # the axis reaches the largest bar, in full


def test_report_page_names_partners_and_holds_statement_charts_and_their_tables() -> None:
    figures = generated()
    page = report_html(figures, "RESILIENCE")
    assert "University College London" in page
    assert ">ucl<" not in page
    assert impact_statement(figures).sentences[1] in page
    assert page.count("<svg") == 8  # six trends, nation and kind
    assert "Reached by the end of each month (the charts&#x27; numbers)" in page
    assert f"<dd>{figures.attendances:,}</dd>" in page


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="needs Debian's poppler-utils (pdftoppm, pdftotext): make report-tools",
)


@needs_poppler
def test_pdf_is_a4_and_its_text_holds_the_statement_and_headline_figures(tmp_path: Path) -> None:
    figures = public_figures(generated(), ONS_10_5, datetime(2026, 12, 4, 21, 0, tzinfo=UTC))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(report_html(figures, "RESILIENCE")))

    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "page"], check=True, timeout=60
    )
    png = (tmp_path / "page-1.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    assert height / width == pytest.approx(297 / 210, rel=0.02)  # A4
    text = subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    flowing = " ".join(text.split())
    for sentence in impact_statement(figures).sentences:
        assert sentence in flowing
    for name in ("trainees_trained", "students_reached", "attendances"):
        assert f"{getattr(figures, name):,}" in flowing
    assert "Figures as of 4 December 2026, 21:00 UTC" in flowing
    assert "University College London" in flowing


async def test_a_release_is_rendered_once_whatever_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []

    def render(page: str) -> bytes:
        rendered.append(page)
        return b"%PDF-" + str(len(rendered)).encode()

    monkeypatch.setattr(report_module, "report_pdf", render)
    reports = RenderedReports(size=1)
    public, exact = figures(disclosure_controlled=True), figures(disclosure_controlled=False)
    assert [await reports.pdf(public, "R") for _ in range(3)] == [b"%PDF-1"] * 3
    assert await reports.pdf(exact, "R") == b"%PDF-2"
    assert await reports.pdf(public, "R") == b"%PDF-3"  # only the last one is kept with size 1
    assert len(rendered) == 3


async def test_a_slow_render_answers_come_back_later_and_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def render(page: str) -> bytes:
        release.wait(10)
        return b"%PDF-slow"

    monkeypatch.setattr(report_module, "report_pdf", render)
    reports = RenderedReports(wait_s=0.05)
    public = figures(disclosure_controlled=True)
    with pytest.raises(ProblemError) as waited:
        await reports.pdf(public, "R")
    assert (waited.value.status, waited.value.headers) == (503, {"Retry-After": "5"})
    release.set()
    for _ in range(100):  # the render went on without the caller
        await asyncio.sleep(0.05)
        try:
            assert await reports.pdf(public, "R") == b"%PDF-slow"
            break
        except ProblemError:
            continue
    else:
        pytest.fail("the render never finished")
