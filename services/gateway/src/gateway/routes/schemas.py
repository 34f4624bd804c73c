"""Request and response models of the gateway's own routes."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway.domain.keys import ApiKey
from shared.contracts.identity import Scope

Label = Field(default=None, min_length=1, max_length=100, description="a note for people, e.g. 'door 2'")


class PartnerKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Label


class CheckinKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_at: AwareDatetime = Field(description="in the future, at most 30 days ahead")
    label: str | None = Label


class KeyCreated(BaseModel):
    """A new key; `key` is the secret and is shown only in this response."""

    id: str
    key: str
    scopes: list[Scope]
    partner_id: str | None = None
    event_id: str | None = None
    expires_at: AwareDatetime | None = None
    label: str | None = None


class KeyRead(BaseModel):
    id: str
    scopes: list[Scope]
    partner_id: str | None = None
    event_id: str | None = None
    expires_at: AwareDatetime | None = None
    label: str | None = None
    created_at: AwareDatetime
    revoked_at: AwareDatetime | None = None

    @classmethod
    def of(cls, key: ApiKey) -> KeyRead:
        return cls(
            id=key.id,
            scopes=[key.scope],
            partner_id=key.partner_id,
            event_id=key.event_id,
            expires_at=key.expires_at,
            label=key.label,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


class KeyList(BaseModel):
    keys: list[KeyRead]


class Breakdown(BaseModel):
    programme_id: str
    by: str
    seq: int
    disclosure_controlled: bool
    updated_at: AwareDatetime | None
    # key (partner id, nation, kind or month) -> counter name -> value (None when suppressed)
    rows: dict[str, dict[str, int | None]]
    # by partner: each row key's partner name
    names: dict[str, str] = {}
