"""Response models of the metrics API beyond the shared ProgrammeFigures."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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


class StatementRead(BaseModel):
    """The impact statement and the figures it quotes (metrics.domain.statement)."""

    model_config = ConfigDict(frozen=True)

    programme_id: str
    text: str
    sentences: list[str]
    disclosure_controlled: bool = Field(description="written from the public (disclosure-controlled) figures")
    rounding: str = Field(description="how the statement's percentages are rounded")
    first_month: str | None = Field(description="YYYY-MM of the first event with counted attendance")
    last_month: str | None
    as_of: AwareDatetime | None
    figures: dict[str, int | None] = Field(
        description="the headline counts quoted, and the leaders' shares of women and of people from ethnic "
        "minority backgrounds as whole percentages (None when not shown)"
    )
