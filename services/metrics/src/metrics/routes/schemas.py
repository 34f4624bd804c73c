"""Response models of the metrics API beyond the shared ProgrammeFigures."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.counters import TargetProgress

BreakdownBy = Literal["partner", "nation", "kind", "month"]


class BreakdownRead(BaseModel):
    """Counters within each slice: rows[key][counter] (None when suppressed)."""

    model_config = ConfigDict(frozen=True)

    by: BreakdownBy
    programme_id: str
    rows: dict[str, dict[str, int | None]]
    disclosure_controlled: bool
    names: dict[str, str] = Field(
        default_factory=dict, description="by partner: each row key's partner name (keys stay partner ids)"
    )


class TargetsRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    programme_id: str
    targets: dict[str, TargetProgress]
