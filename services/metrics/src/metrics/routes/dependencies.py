"""Request dependencies: the latest merged figures, exact or public as the caller may see them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from metrics.context import MetricsContext
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.identity import Scope
from shared.http.identity import CallerDep
from shared.http.problems import ProblemError

ProgrammeQuery = Annotated[
    str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
]


async def visible_figures(
    caller: CallerDep, request: Request, programme_id: ProgrammeQuery = None
) -> ProgrammeFigures:
    """Exact figures for an admin; for everyone else, the current public release (docs/privacy.md)."""
    context: MetricsContext = request.app.state.context
    view = context.view
    if not view.ready:
        raise ProblemError(503, "Figures not ready", "No merged figures have been read yet.")
    wanted = programme_id or context.settings.programme_id
    snapshot = view.latest.get(wanted)
    if snapshot is None:
        raise ProblemError(404, "Unknown programme", f"No programme '{wanted}' is known.", type_="not-found")
    return snapshot.exact if caller.scope is Scope.ADMIN else snapshot.public


FiguresDep = Annotated[ProgrammeFigures, Depends(visible_figures)]
