"""Request dependencies: the projection, and the figures the caller may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from metrics.context import MetricsContext
from metrics.domain.errors import FiguresNotReady, UnknownProgramme
from metrics.handlers.projection import Projection
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.identity import Scope
from shared.contracts.programmes import PROGRAMME_ID_PATTERN
from shared.http.identity import CallerDep

ProgrammeQuery = Annotated[str | None, Query(pattern=PROGRAMME_ID_PATTERN)]


async def get_projection(request: Request) -> Projection:
    context: MetricsContext = request.app.state.context
    projection = context.projection
    if not projection.loaded:
        raise FiguresNotReady()
    return projection


async def visible_figures(
    caller: CallerDep,
    request: Request,
    projection: Annotated[Projection, Depends(get_projection)],
    programme_id: ProgrammeQuery = None,
) -> ProgrammeFigures:
    """Exact figures for an admin; for everyone else, the current public release (docs/privacy.md)."""
    context: MetricsContext = request.app.state.context
    settings = context.settings
    wanted = programme_id or settings.programme_id
    figures = projection.figures(wanted)
    if figures is None:
        raise UnknownProgramme(f"No programme '{wanted}' is known.")
    if caller.scope is Scope.ADMIN:
        return figures
    return context.releases.release(wanted, figures, datetime.now(UTC))


FiguresDep = Annotated[ProgrammeFigures, Depends(visible_figures)]
