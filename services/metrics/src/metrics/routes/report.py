"""The programme report a programme sends its funder: CSV for spreadsheets, an A4 HTML page (and its PDF).

The page holds the impact statement, headline figures, targets, trend and breakdown charts, each chart with
its numbers as a table. Both render the figures they are given, so a public report carries the same disclosure control as the
public counters (docs/privacy.md): every count rounded, withheld cells read "suppressed", and both say so.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import OrderedDict
from html import escape

from metrics.domain.statement import impact_statement, month_name
from metrics.routes.charts import LABELS, attendance_chart, reach_chart, words
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share
from shared.http.problems import ProblemError

DIMENSIONS = {
    "gender": "gender",
    "ethnicity": "ethnic group",
    "ethnic_minority": "from ethnic minority backgrounds",
}
BY_WORDS = {"partner": "partner", "nation": "nation", "kind": "event kind", "month": "month of the event"}
SUPPRESSED = "suppressed"


def _cell(value: int | None) -> str:
    """A count for a reader, with thousands separators."""
    return SUPPRESSED if value is None else f"{value:,}"


def _plain(value: int | None) -> int | str:
    """A count for a spreadsheet."""
    return SUPPRESSED if value is None else value


def row_label(figures: ProgrammeFigures, by: str, key: str) -> str:
    """How a breakdown row is named for a reader: a partner by its name, anything else by its key."""
    if by == "partner":
        return figures.partner_names.get(key, key)
    return month_name(key) if by == "month" else words(key)


def _percent(share: Share) -> str:
    return SUPPRESSED if share.percent is None else f"{share.percent:.1f}%"


def disclosure_note(figures: ProgrammeFigures) -> str:
    """How the figures were protected, in a sentence a reader of the report understands."""
    if not figures.disclosure_controlled:
        return "Exact figures (not for publication)."
    base = figures.rounding_base or 1
    withheld = (
        f" Counts below {figures.smallest_shown} are not shown (headline figures read 0)."
        if figures.smallest_shown
        else ""
    )
    return (
        f"To protect individuals, every figure, totals included, is rounded to the nearest {base}, and "
        f"percentages are worked out from the rounded figures, so they may not add up exactly.{withheld}"
    )


def report_csv(figures: ProgrammeFigures) -> str:
    """One row per figure: section, population or breakdown, category, measure, value.

    A breakdown row's group is its key (a partner's id); its category is the partner's name, if known.
    Values are plain integers, for spreadsheets.
    """
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(["section", "group", "category", "measure", "value"])
    rows.writerow(["disclosure", "", "", "note", disclosure_note(figures)])
    if figures.disclosure_controlled:
        rows.writerow(["disclosure", "", "", "rounded_to_nearest", figures.rounding_base])
        rows.writerow(["disclosure", "", "", "withheld_below", figures.smallest_shown or 0])
    for name in COUNTER_NAMES:
        rows.writerow(["headline", "", "", name, getattr(figures, name)])
    for name, progress in figures.targets.items():
        rows.writerow(["target", name, "", "target", progress.target])
        rows.writerow(["target", name, "", "percent", f"{progress.percent:.1f}"])
    for population, dimensions in figures.shares.items():
        for dimension, categories in dimensions.items():
            for category, share in categories.items():
                rows.writerow([f"share:{dimension}", population, category, "count", _plain(share.count)])
                rows.writerow(
                    [f"share:{dimension}", population, category, "percent", _percent(share).rstrip("%")]
                )
    for by, table in figures.breakdowns.items():
        for key, counters in table.items():
            name = figures.partner_names.get(key, "") if by == "partner" else ""
            for measure, value in counters.items():
                rows.writerow([f"breakdown:{by}", key, name, measure, _plain(value)])
    return out.getvalue()


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    """A table whose first column names each row."""
    return (
        "<table>"
        + (f"<caption>{escape(caption)}</caption>" if caption else "")
        + "<thead><tr>"
        + "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(
            f"<tr><th scope='row'>{escape(row[0])}</th>"
            + "".join(f"<td>{escape(v)}</td>" for v in row[1:])
            + "</tr>"
            for row in rows
        )
        + "</tbody></table>"
    )


def _shares_tables(figures: ProgrammeFigures) -> str:
    out = []
    for population, dimensions in figures.shares.items():
        for dimension, categories in dimensions.items():
            rows = [
                [words(category), _cell(share.count), _percent(share)]
                for category, share in categories.items()
            ]
            caption = f"{LABELS.get(population, population)}: {DIMENSIONS.get(dimension, dimension)}"
            out.append(_table(caption, ["Category", "People", "Share"], rows))
    return "".join(out)


def _trends(figures: ProgrammeFigures) -> str:
    if not figures.reach_by_month:
        return "<p>No attendance has been counted yet.</p>"
    charts = "".join(
        f"<figure class='chart'>{reach_chart(figures, name)}</figure>"
        for name in COUNTER_NAMES
        if name in figures.reach_by_month[max(figures.reach_by_month)]
    )
    rows = [
        [month_name(month)] + [_cell(counters.get(name)) for name in COUNTER_NAMES]
        for month, counters in sorted(figures.reach_by_month.items())
    ]
    table = _table(
        "Reached by the end of each month (the charts' numbers)",
        ["Month", *(LABELS[n] for n in COUNTER_NAMES)],
        rows,
    )
    return f"<div class='charts'>{charts}</div>{table}"


def _breakdown_table(figures: ProgrammeFigures, by: str) -> str:
    table = figures.breakdowns.get(by, {})
    rows = [
        [row_label(figures, by, key)] + [_cell(row.get(m)) for m in COUNTER_NAMES]
        for key, row in sorted(table.items(), key=lambda item: row_label(figures, by, item[0]))
    ]
    return _table(
        f"By {BY_WORDS[by]}", [BY_WORDS[by].capitalize(), *(LABELS[m] for m in COUNTER_NAMES)], rows
    )


def report_html(figures: ProgrammeFigures, title: str) -> str:
    """An A4 report: the impact statement, headline figures, targets, trends, shares and breakdowns."""
    updated = figures.updated_at.strftime("%-d %B %Y, %H:%M UTC") if figures.updated_at else "no data yet"
    note = escape(disclosure_note(figures))
    statement = "".join(f"{escape(s)} " for s in impact_statement(figures).sentences)
    headline = "".join(
        f"<div class='figure'><dt>{escape(LABELS[n])}</dt><dd>{_cell(getattr(figures, n))}</dd></div>"
        for n in COUNTER_NAMES
    )
    targets = _table(
        "",  # the section's heading names it
        ["Measure", "Reached", "Target", "Progress"],
        [
            [LABELS.get(n, n), _cell(t.actual), _cell(t.target), f"{t.percent:.1f}%"]
            for n, t in figures.targets.items()
        ],
    )
    by_charts = "".join(
        f"<figure class='chart'>{attendance_chart(figures, by)}</figure>{_breakdown_table(figures, by)}"
        for by in ("nation", "kind")
    )
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)} — programme report</title>
<style>
@page {{ size: A4; margin: 14mm 12mm; @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }} }}
body {{ font: 10pt/1.4 "DejaVu Sans", system-ui, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }}
h1 {{ font-size: 17pt; margin: 0 0 2px; }} h2 {{ font-size: 12.5pt; margin: 14px 0 4px; break-after: avoid; }}
.statement {{ font-size: 11.5pt; border-left: 4px solid #1f5fa8; padding: 4px 10px; background: #f2f6fb; }}
dl {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin: 8px 0; }}
.figure {{ border: 1px solid #444; padding: 4px 8px; }} dt {{ font-size: 9pt; }} dd {{ margin: 0; font-size: 15pt; font-weight: 700; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4px 0 10px; break-inside: avoid; }}
caption {{ text-align: left; font-weight: 700; padding: 2px 0; }}
th, td {{ border: 1px solid #999; padding: 2px 4px; text-align: left; }} td {{ text-align: right; }}
.charts {{ display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }}
figure.chart {{ margin: 0; break-inside: avoid; }} figure.chart svg {{ width: 100%; height: auto; }}
</style></head>
<body><header><h1>{escape(title)} — programme report</h1><p>Figures as of {updated}. {note}</p></header>
<main><section><h2>Impact statement</h2><p class="statement">{statement.strip()}</p></section>
<section><h2>Headline figures</h2><dl>{headline}</dl></section>
<section><h2>Progress against targets</h2>{targets}</section>
<section><h2>Trends</h2>{_trends(figures)}</section>
<section><h2>Where and how</h2>{by_charts}</section>
<section><h2>Who we reached</h2>{_shares_tables(figures)}</section>
<section><h2>By partner and month</h2>{_breakdown_table(figures, "partner")}{_breakdown_table(figures, "month")}</section>
</main></body></html>
"""


def report_pdf(page: str) -> bytes:
    """The report page as an A4 PDF (WeasyPrint; blocking, so run it in a thread)."""
    try:
        # Imported here: WeasyPrint loads the system's pango when imported, which only this needs.
        from weasyprint import HTML
    except OSError as exc:
        raise ProblemError(503, "PDF unavailable", f"The PDF renderer cannot start here: {exc}") from exc
    pdf: bytes = HTML(string=page).write_pdf()
    return pdf


class RenderedReports:
    """The last few PDFs rendered, by the figures they show: one release renders once per instance (a few
    seconds of CPU, and WeasyPrint's first import takes ~4 s), however often it is asked for, one render
    at a time. A render that outlasts `wait_s` goes on while the caller is told to come back (503 with
    Retry-After), so a slow render never runs into the gateway's upstream timeout."""

    def __init__(self, size: int = 4, wait_s: float = 15.0) -> None:
        self._size = size
        self._wait_s = wait_s
        self._held: OrderedDict[str, bytes] = OrderedDict()
        self._pending: dict[str, asyncio.Task[bytes]] = {}
        self._one_at_a_time = asyncio.Lock()

    async def pdf(self, figures: ProgrammeFigures, title: str) -> bytes:
        key = f"{title}\n{figures.model_dump_json()}"
        held = self._held.get(key)
        if held is not None:
            self._held.move_to_end(key)
            return held
        task = self._pending.get(key)
        if task is None:
            task = self._pending[key] = asyncio.create_task(self._render(key, report_html(figures, title)))
        try:
            return await asyncio.wait_for(asyncio.shield(task), self._wait_s)
        except TimeoutError:
            raise ProblemError(
                503,
                "Report being rendered",
                "The PDF of these figures is being rendered; ask again in a few seconds.",
                headers={"Retry-After": "5"},
            ) from None

    async def _render(self, key: str, page: str) -> bytes:
        try:
            async with self._one_at_a_time:
                pdf = await asyncio.to_thread(report_pdf, page)
            self._held[key] = pdf
            while len(self._held) > self._size:
                self._held.popitem(last=False)
            return pdf
        finally:
            del self._pending[key]
