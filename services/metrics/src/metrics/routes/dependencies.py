"""Request dependencies: the projection, and the figures the caller may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from metrics.context import MetricsContext
from metrics.handlers.projection import Projection
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.identity import Scope
from shared.http.identity import CallerDep
from shared.http.problems import ProblemError

ProgrammeQuery = Annotated[
    str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
]


async def get_projection(request: Request) -> Projection:
    context: MetricsContext = request.app.state.context
    projection = context.projection
    if not projection.loaded:
        raise ProblemError(503, "Figures not ready", "The metrics service is still loading its facts.")
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
        raise ProblemError(404, "Unknown programme", f"No programme '{wanted}' is known.", type_="not-found")
    if caller.scope is Scope.ADMIN:
        return figures
    return context.releases.release(wanted, figures, datetime.now(UTC))


FiguresDep = Annotated[ProgrammeFigures, Depends(visible_figures)]
