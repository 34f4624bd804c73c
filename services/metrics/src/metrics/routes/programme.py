"""Internal HTTP API of the metrics service (the gateway forwards /v1/programme/*)."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from metrics.domain.statement import ROUNDING, impact_statement
from metrics.routes.dependencies import FiguresDep
from metrics.routes.report import report_csv, report_html
from metrics.routes.schemas import BreakdownBy, BreakdownRead, StatementRead, TargetsRead
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures

router = APIRouter(prefix="/v1/programme", tags=["programme"])


@router.get("/counters")
async def read_counters(figures: FiguresDep) -> ProgrammeFigures:
    return figures


@router.get("/breakdowns")
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


@router.get("/targets")
async def read_targets(figures: FiguresDep) -> TargetsRead:
    return TargetsRead(programme_id=figures.programme_id, targets=figures.targets)


class StatementFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


@router.get("/statement", response_model=StatementRead, responses={200: {"content": {"text/plain": {}}}})
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


@router.get("/report", response_class=Response)
async def read_report(figures: FiguresDep, format: ReportFormat = ReportFormat.HTML) -> Response:
    """The programme report for a funder: CSV, or one printable HTML page (print it to PDF)."""
    name = f"{figures.programme_id}-report"
    if format is ReportFormat.CSV:
        return PlainTextResponse(
            report_csv(figures),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return HTMLResponse(report_html(figures, figures.programme_id.upper()))
