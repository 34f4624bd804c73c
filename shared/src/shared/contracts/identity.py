"""Who calls: the principal the gateway establishes for each request and the services act for."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Scope(StrEnum):
    ADMIN = "admin"
    PARTNER = "partner"
    CHECKIN = "checkin"
    PUBLIC = "public"


class Principal(BaseModel):
    """Who calls: an admin, a partner (one partner), a check-in device (one event), or the public."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scope: Scope
    key_id: str | None = None
    partner_id: str | None = None
    event_id: str | None = None


PUBLIC = Principal(scope=Scope.PUBLIC)
