"""Internal HTTP API of the metrics service (the gateway forwards /v1/programme/*)."""

from __future__ import annotations

from fastapi import APIRouter

from metrics.dependencies import FiguresDep
from metrics.schemas import BreakdownBy, BreakdownRead, TargetsRead
from shared.contracts.counters import ProgrammeFigures

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
    )


@router.get("/targets")
async def read_targets(figures: FiguresDep) -> TargetsRead:
    return TargetsRead(programme_id=figures.programme_id, targets=figures.targets)
