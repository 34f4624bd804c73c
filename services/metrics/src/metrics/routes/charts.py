"""The report's charts as SVG, drawn by pygal from the figures they are given (exact or public).

Trends: each headline figure as reached by the end of each month of the events' dates (cumulative), with
its target as a line where the programme has one. Breakdowns: attendances by nation and by event kind.
Every chart has its numbers beside it as a table in the report and on the dashboard (for screen readers),
and pygal's own script is left out (`js=[]`): the SVG is a picture, it fetches nothing. pygal is imported
when a chart is first drawn: an instance that draws none saves its 1.5 MiB (docs/scaling.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from metrics.domain.statement import month_name
from shared.contracts.counters import ProgrammeFigures

if TYPE_CHECKING:
    import pygal
    from pygal.style import Style

LABELS = {
    "trainees_trained": "Trainees trained",
    "students_reached": "Students reached",
    "events_delivered": "Events delivered",
    "attendances": "Attendances",
    "leaders": "Future leaders",
    "leader_organisations": "Leader organisations",
}
WORDS = {"northern_ireland": "Northern Ireland"}


@cache
def _style() -> Style:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#767676",
        colors=("#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a"),
        font_family="DejaVu Sans, Arial, sans-serif",
        title_font_size=22,
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        value_font_size=14,
        guide_stroke_color="#d0d0d0",
        guide_stroke_dasharray="3,3",
        major_guide_stroke_color="#b0b0b0",
        major_guide_stroke_dasharray="3,3",
    )


class ChartName(StrEnum):
    TRAINEES_TRAINED = "trainees_trained"
    STUDENTS_REACHED = "students_reached"
    EVENTS_DELIVERED = "events_delivered"
    ATTENDANCES = "attendances"
    LEADERS = "leaders"
    LEADER_ORGANISATIONS = "leader_organisations"
    NATION = "nation"
    KIND = "kind"


def words(key: str) -> str:
    return WORDS.get(key, key.replace("_", " ").capitalize())


def _count(value: float | None) -> str:
    return "withheld" if value is None else f"{value:,.0f}"


ET.register_namespace("", "http://www.w3.org/2000/svg")
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def _svg(chart: pygal.graph.graph.Graph) -> str:
    """The chart's SVG without the configuration script pygal writes for its (unused) tooltips."""
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).endswith("script"):
                parent.remove(child)
    return ET.tostring(root, encoding="unicode")


def reach_points(figures: ProgrammeFigures, counter: str) -> list[tuple[str, int | None]]:
    """The counter as reached by the end of each month: the trend chart's data points."""
    return [(month, counters.get(counter)) for month, counters in sorted(figures.reach_by_month.items())]


def reach_chart(figures: ProgrammeFigures, counter: str) -> str:
    """Cumulative reach of one headline figure by month, with its target as a line."""
    import pygal

    points = reach_points(figures, counter)
    chart = pygal.Line(
        style=_style(),
        js=[],
        width=800,
        height=400,
        value_formatter=_count,
        x_label_rotation=30,
        show_minor_x_labels=len(points) <= 12,
        x_labels_major_every=max(1, len(points) // 8),
        legend_at_bottom=True,
        include_x_axis=True,
        dots_size=3,
    )
    chart.title = f"{LABELS[counter]}, by the end of each month"
    chart.x_labels = [month_name(month) for month, _ in points]
    chart.add("Reached", [value for _, value in points], stroke_style={"width": 4})
    target = figures.targets.get(counter)
    if target is not None:
        chart.add(
            "Target",
            [target.target] * len(points),
            dots_size=1,
            stroke_style={"width": 3, "dasharray": "10, 6"},
        )
    return _svg(chart)


def attendance_points(figures: ProgrammeFigures, by: str) -> list[tuple[str, int | None]]:
    """Attendances of each row of one breakdown, largest first: the bar chart's data points."""
    rows = figures.breakdowns.get(by, {})
    return sorted(
        ((key, row.get("attendances")) for key, row in rows.items()), key=lambda item: -(item[1] or 0)
    )


def attendance_chart(figures: ProgrammeFigures, by: str) -> str:
    import pygal

    points = attendance_points(figures, by)
    chart = pygal.HorizontalBar(
        style=_style(),
        js=[],
        width=800,
        height=120 + 50 * max(1, len(points)),
        value_formatter=_count,
        max_scale=8,  # pygal's default of 16 ticks cuts five-digit labels short ("1,0…") at this width
        truncate_label=-1,
    )
    chart.title = f"Attendances by {'nation' if by == 'nation' else 'event kind'}"
    chart.show_legend = False
    chart.x_labels = [words(key) for key, _ in points]
    chart.add("Attendances", [value for _, value in points])
    return _svg(chart)


def chart_svg(figures: ProgrammeFigures, name: ChartName) -> str:
    if name in (ChartName.NATION, ChartName.KIND):
        return attendance_chart(figures, name.value)
    return reach_chart(figures, name.value)
