"""Internal HTTP API of the metrics service (the gateway forwards /v1/programme/*)."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from metrics.context import MetricsContext
from metrics.domain.statement import ROUNDING, impact_statement
from metrics.routes.charts import ChartName, chart_svg
from metrics.routes.dependencies import FiguresDep
from metrics.routes.report import report_csv, report_html
from metrics.routes.schemas import BreakdownBy, BreakdownRead, StatementRead, TargetsRead
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures
from shared.http.responses import problems

router = APIRouter(prefix="/v1/programme", tags=["programme"])
# Every route here answers from the merged figures of one programme.
_FIGURES = problems(
    404,
    503,
    s404="No figures of this programme_id are known.",
    s503="The figures are not ready yet (or a PDF is still being rendered); retry after `Retry-After` seconds.",
)


@router.get("/counters", responses=_FIGURES)
async def read_counters(figures: FiguresDep) -> ProgrammeFigures:
    return figures


@router.get("/breakdowns", responses=_FIGURES)
async def read_breakdowns(figures: FiguresDep, by: BreakdownBy) -> BreakdownRead:
    return BreakdownRead(
        by=by,
        programme_id=figures.programme_id,
        rows=figures.breakdowns[by],
        disclosure_controlled=figures.disclosure_controlled,
        names={
            key: figures.partner_names[key] for key in figures.breakdowns[by] if key in figures.partner_names
        }
        if by == "partner"
        else {},
    )


@router.get("/targets", responses=_FIGURES)
async def read_targets(figures: FiguresDep) -> TargetsRead:
    return TargetsRead(programme_id=figures.programme_id, targets=figures.targets)


class StatementFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


@router.get(
    "/statement",
    response_model=StatementRead,
    responses={200: {"content": {"text/plain": {}}}, **_FIGURES},
)
async def read_statement(figures: FiguresDep, format: StatementFormat = StatementFormat.JSON) -> Response:
    """The impact statement in plain English, written from the figures the caller may see (the public,
    disclosure-controlled ones unless an admin asks); as JSON with the figures it quotes, or as text."""
    statement = impact_statement(figures)
    if format is StatementFormat.TEXT:
        return PlainTextResponse(statement.text + "\n")
    body = StatementRead(
        programme_id=statement.programme_id,
        text=statement.text,
        sentences=statement.sentences,
        disclosure_controlled=statement.public,
        rounding=ROUNDING,
        first_month=statement.first_month,
        last_month=statement.last_month,
        as_of=statement.as_of,
        figures={
            **{name: getattr(figures, name) for name in COUNTER_NAMES},
            "women_percent_of_leaders": statement.women_percent,
            "minority_percent_of_leaders": statement.minority_percent,
        },
    )
    return JSONResponse(body.model_dump(mode="json"))


class ReportFormat(StrEnum):
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"


@router.get(
    "/charts/{chart}",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **_FIGURES},
)
async def read_chart(figures: FiguresDep, chart: ChartName) -> Response:
    """One of the report's charts as SVG: a headline figure's reach by month (with its target), or
    attendances by nation or by event kind; its numbers are in the report's tables."""
    return Response(
        chart_svg(figures, chart), media_type="image/svg+xml", headers={"Cache-Control": "no-cache"}
    )


@router.get("/report", response_class=Response, responses=_FIGURES)
async def read_report(
    request: Request, figures: FiguresDep, format: ReportFormat = ReportFormat.HTML
) -> Response:
    """The programme report for a funder: CSV, an A4 HTML page, or that page as an A4 PDF."""
    name = f"{figures.programme_id}-report"
    if format is ReportFormat.CSV:
        return PlainTextResponse(
            report_csv(figures),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    title = figures.programme_id.upper()
    if format is ReportFormat.PDF:
        context: MetricsContext = request.app.state.context
        return Response(
            await context.reports.pdf(figures, title),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    return HTMLResponse(report_html(figures, title))
