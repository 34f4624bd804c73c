"""The programme report a programme sends its funder: CSV for spreadsheets, one printable HTML page.

Both render the figures they are given, so a public report carries the same disclosure control as the
public counters (docs/privacy.md): every count rounded, withheld cells read "suppressed", and both say so.
"""

from __future__ import annotations

import csv
import io
from html import escape

from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share

LABELS = {
    "trainees_trained": "Trainees trained",
    "students_reached": "Students reached",
    "events_delivered": "Events delivered",
    "attendances": "Attendances",
    "leaders": "Future leaders",
    "leader_organisations": "Leader organisations",
}
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
    return key.replace("_", " ").capitalize() if by != "month" else key


def _percent(share: Share) -> str:
    return SUPPRESSED if share.percent is None else f"{share.percent:.1f}%"


def _share_line(categories: dict[str, Share]) -> str:
    return ", ".join(
        f"{category.replace('_', ' ')} {_percent(share)}" for category, share in categories.items()
    )


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


def report_html(figures: ProgrammeFigures, title: str) -> str:
    """A one-page A4 summary: headline figures, targets, demographic shares and breakdowns."""
    updated = figures.updated_at.strftime("%d %B %Y, %H:%M UTC") if figures.updated_at else "no data yet"
    note = escape(disclosure_note(figures))
    headline = "".join(
        f"<div class='figure'><dt>{escape(LABELS[n])}</dt><dd>{getattr(figures, n):,}</dd></div>"
        for n in COUNTER_NAMES
    )
    targets = "".join(
        f"<tr><th scope='row'>{escape(LABELS.get(n, n))}</th><td>{t.actual:,}</td><td>{t.target:,}</td>"
        f"<td>{t.percent:.0f}%</td></tr>"
        for n, t in figures.targets.items()
    )
    shares = "".join(
        f"<tr><th scope='row'>{escape(LABELS.get(p, p))}</th><td>{escape(d.replace('_', ' '))}</td>"
        f"<td>{escape(_share_line(cats))}</td></tr>"
        for p, dims in figures.shares.items()
        for d, cats in dims.items()
    )
    breakdowns = "".join(
        f"<h3>By {escape(by)}</h3><table><thead><tr><th scope='col'>{escape(by)}</th>"
        + "".join(f"<th scope='col'>{escape(LABELS.get(m, m))}</th>" for m in COUNTER_NAMES)
        + "</tr></thead><tbody>"
        + "".join(
            f"<tr><th scope='row'>{escape(row_label(figures, by, key))}</th>"
            + "".join(f"<td>{_cell(row.get(m))}</td>" for m in COUNTER_NAMES)
            + "</tr>"
            for key, row in sorted(table.items(), key=lambda item: row_label(figures, by, item[0]))
        )
        + "</tbody></table>"
        for by, table in figures.breakdowns.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} — programme report</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font: 10pt/1.35 system-ui, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }}
h1 {{ font-size: 16pt; margin: 0; }} h2 {{ font-size: 12pt; margin: 10px 0 4px; }} h3 {{ font-size: 10pt; margin: 6px 0 2px; }}
dl {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin: 8px 0; }}
.figure {{ border: 1px solid #444; padding: 4px 8px; }} dt {{ font-size: 9pt; }} dd {{ margin: 0; font-size: 15pt; font-weight: 700; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }} th, td {{ border: 1px solid #999; padding: 2px 4px; text-align: left; }}
</style></head>
<body><header><h1>{escape(title)} — programme report</h1><p>Figures as of {updated}. {note}</p></header>
<main><section><h2>Headline figures</h2><dl>{headline}</dl></section>
<section><h2>Progress against targets</h2><table><thead><tr><th scope="col">Measure</th><th scope="col">Actual</th>
<th scope="col">Target</th><th scope="col">Progress</th></tr></thead><tbody>{targets}</tbody></table></section>
<section><h2>Who we reached</h2><table><thead><tr><th scope="col">Population</th><th scope="col">Dimension</th>
<th scope="col">Shares</th></tr></thead><tbody>{shares}</tbody></table></section>
<section><h2>Breakdowns</h2>{breakdowns}</section></main></body></html>
"""
