"""Request and response models of the gateway's own routes."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway.domain.keys import ApiKey
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.identity import Scope

Label = Field(default=None, min_length=1, max_length=100, description="a note for people, e.g. 'door 2'")


class PartnerKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"label": "student records system"}]}
    )

    label: str | None = Label


class CheckinKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"expires_at": "2030-06-02T18:00:00Z", "label": "door 2"}]},
    )

    expires_at: AwareDatetime = Field(description="in the future, at most 30 days ahead")
    label: str | None = Label


class KeyCreated(BaseModel):
    """A new key; `key` is the secret and is shown only in this response.

    The secret is never stored, so no answer holding it is ever replayed: a key creation retried after a
    lost answer makes another key. `GET /v1/keys` lists the keys (with their labels); revoke the one
    whose secret never arrived.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "key_6f1d2c3b4a59",
                    "key": "pk_3q2-7wEo1kXcV0bS9yQ4zR8uT6nM5lK",
                    "scopes": ["partner"],
                    "partner_id": "prt_0b6f9c2a8e7d4f1c9a3b5d7e1f2a4c6b",
                    "label": "student records system",
                }
            ]
        }
    )

    id: str
    key: str
    scopes: list[Scope]
    partner_id: str | None = None
    event_id: str | None = None
    expires_at: AwareDatetime | None = None
    label: str | None = None


class KeyRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "key_6f1d2c3b4a59",
                    "scopes": ["checkin"],
                    "partner_id": "prt_0b6f9c2a8e7d4f1c9a3b5d7e1f2a4c6b",
                    "event_id": "4c1f0b8e-9f3b-4a39-9d7e-2a8d2f0f6c11",
                    "expires_at": "2030-06-02T18:00:00Z",
                    "label": "door 2",
                    "created_at": "2026-06-01T08:30:00Z",
                    "revoked_at": None,
                }
            ]
        }
    )

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


class CountersRead(ProgrammeFigures):
    """The programme's figures: exact for an admin key, disclosure-controlled for everyone else."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "seq": 1208,
                    "programme_id": "resilience",
                    "trainees_trained": 1500,
                    "students_reached": 15000,
                    "events_delivered": 170,
                    "attendances": 26585,
                    "leaders": 75,
                    "leader_organisations": 25,
                    "shares": {"leaders": {"gender": {"woman": {"count": 50, "percent": 66.7}}}},
                    "breakdowns": {"nation": {"wales": {"students_reached": 2100}}},
                    "targets": {"students_reached": {"target": 15000, "actual": 15000, "percent": 100.0}},
                    "disclosure_controlled": True,
                    "updated_at": "2026-06-01T12:00:00Z",
                    "rounding_base": 5,
                    "smallest_shown": 5,
                }
            ]
        }
    )

    seq: int = Field(description="the figures' version; higher is newer")


class Breakdown(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "programme_id": "resilience",
                    "by": "nation",
                    "seq": 1208,
                    "disclosure_controlled": True,
                    "updated_at": "2026-06-01T12:00:00Z",
                    "rows": {"wales": {"students_reached": 2100, "trainees_trained": 190}},
                }
            ]
        }
    )

    programme_id: str
    by: str
    seq: int
    disclosure_controlled: bool
    updated_at: AwareDatetime | None
    # key (partner id, nation, kind or month) -> counter name -> value (None when suppressed)
    rows: dict[str, dict[str, int | None]]
    # by partner: each row key's partner name
    names: dict[str, str] = {}
