"""Request and response models of the webhook routes (docs/webhooks.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema, field_validator

from gateway.domain.webhooks import Attempt, Delivery, Endpoint
from shared.contracts.webhooks import WEBHOOK_PAYLOADS

EVENT_TYPES = sorted(WEBHOOK_PAYLOADS)
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
_URL = "https URL (plain http only for allowed hosts)"
_TYPES = f"the event types to receive, of: {', '.join(EVENT_TYPES)}"
DeliveryStatus = Literal["pending", "delivered", "failed"]
# Checked by `_known_types`; documented as the list of types there are.
EventType = Annotated[str, WithJsonSchema({"type": "string", "enum": EVENT_TYPES})]
Url = Annotated[
    str, WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 2048})
]
WEBHOOK_ID = "whk_3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c"
_WEBHOOK = {
    "id": WEBHOOK_ID,
    "partner_id": "prt_0b6f9c2a8e7d4f1c9a3b5d7e1f2a4c6b",
    "programme_id": "resilience",
    "url": "https://hooks.example.org/pulse",
    "event_types": ["pulse.attendance.recorded.v1"],
    "description": "student records",
    "enabled": True,
    "disabled_reason": None,
    "created_at": "2026-02-01T09:00:00Z",
    "updated_at": "2026-02-01T09:00:00Z",
}
_DELIVERY = {
    "id": "dlv_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
    "webhook_id": WEBHOOK_ID,
    "message_id": "msg_2b4d6f8a0c2e4a6c8e0a2c4e6a8c0e2a",
    "type": "pulse.attendance.recorded.v1",
    "status": "delivered",
    "attempts": 1,
    "created_at": "2026-06-01T09:12:02Z",
    "next_attempt_at": None,
    "last_attempt_at": "2026-06-01T09:12:03Z",
    "last_status_code": 204,
    "last_error": None,
    "finished_at": "2026-06-01T09:12:03Z",
}


def _examples(*examples: dict[str, Any]) -> dict[str, Any]:
    return {"examples": list(examples)}


def _known_types(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    unknown = sorted(set(value) - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; known: {EVENT_TYPES}")
    return sorted(set(value))


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_examples(
            {"url": _WEBHOOK["url"], "event_types": _WEBHOOK["event_types"], "description": "student records"}
        ),
    )

    url: Url = Field(max_length=2048, description=_URL)
    event_types: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES), description=_TYPES)
    description: str | None = Field(default=None, min_length=1, max_length=200, pattern=_PRINTABLE)
    partner_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="whose endpoint: required for an admin key"
    )

    _types = field_validator("event_types")(_known_types)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_examples({"enabled": False}))

    url: Url | None = Field(default=None, max_length=2048, description=_URL)
    event_types: list[EventType] | None = Field(
        default=None, min_length=1, max_length=len(EVENT_TYPES), description=_TYPES
    )
    description: str | None = Field(default=None, min_length=1, max_length=200, pattern=_PRINTABLE)
    enabled: StrictBool | None = None

    _types = field_validator("event_types")(_known_types)


class WebhookRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples(_WEBHOOK))

    id: str
    partner_id: str
    programme_id: str
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @classmethod
    def fields_of(cls, endpoint: Endpoint) -> dict[str, Any]:
        return {
            "id": endpoint.id,
            "partner_id": endpoint.partner_id,
            "programme_id": endpoint.programme_id,
            "url": endpoint.url,
            "event_types": list(endpoint.event_types),
            "description": endpoint.description,
            "enabled": endpoint.enabled,
            "disabled_reason": endpoint.disabled_reason,
            "created_at": endpoint.created_at,
            "updated_at": endpoint.updated_at,
        }

    @classmethod
    def of(cls, endpoint: Endpoint) -> WebhookRead:
        return cls(**cls.fields_of(endpoint))


class WebhookCreated(WebhookRead):
    """A new endpoint; `secret` (Standard Webhooks `whsec_...`) verifies its deliveries' signatures.

    The secret is shown once: a retried registration is not replayed (it would register a second
    endpoint); list the endpoints, delete the extra one, or rotate the secret of the one kept.
    """

    model_config = ConfigDict(
        json_schema_extra=_examples({**_WEBHOOK, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
    )

    secret: str


class WebhookList(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples({"webhooks": [_WEBHOOK]}))

    webhooks: list[WebhookRead]


class SecretRotated(BaseModel):
    """The new secret; deliveries are signed with the previous one too until `previous_secret_expires_at`."""

    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                "id": WEBHOOK_ID,
                "secret": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                "previous_secret_expires_at": "2026-06-02T09:00:00Z",
            }
        )
    )

    id: str
    secret: str
    previous_secret_expires_at: AwareDatetime


class DeliveryRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples(_DELIVERY))

    id: str
    webhook_id: str
    message_id: str = Field(
        description="the webhook-id header and the CloudEvent id: the same on every attempt"
    )
    type: str
    status: DeliveryStatus
    attempts: int
    created_at: AwareDatetime
    next_attempt_at: AwareDatetime | None
    last_attempt_at: AwareDatetime | None
    last_status_code: int | None
    last_error: str | None
    finished_at: AwareDatetime | None

    @classmethod
    def fields_of(cls, delivery: Delivery) -> dict[str, Any]:
        return {
            "id": delivery.id,
            "webhook_id": delivery.endpoint_id,
            "message_id": delivery.message_id,
            "type": delivery.type,
            "status": delivery.status,
            "attempts": delivery.attempts,
            "created_at": delivery.created_at,
            "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
            "last_attempt_at": delivery.last_attempt_at,
            "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error,
            "finished_at": delivery.finished_at,
        }

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryRead:
        return cls(**cls.fields_of(delivery))


class AttemptRead(BaseModel):
    number: int
    started_at: AwareDatetime
    ended_at: AwareDatetime | None
    status_code: int | None
    error: str | None

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptRead:
        return cls(
            number=attempt.number,
            started_at=attempt.started_at,
            ended_at=attempt.ended_at,
            status_code=attempt.status_code,
            error=attempt.error,
        )


class DeliveryDetail(DeliveryRead):
    """A delivery with each attempt made and the CloudEvent it sends."""

    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                **_DELIVERY,
                "attempt_log": [
                    {
                        "number": 1,
                        "started_at": "2026-06-01T09:12:02Z",
                        "ended_at": "2026-06-01T09:12:03Z",
                        "status_code": 204,
                        "error": None,
                    }
                ],
                "event": {"specversion": "1.0", "type": "pulse.attendance.recorded.v1", "data": {}},
            }
        )
    )

    attempt_log: list[AttemptRead]
    event: dict[str, Any]

    @classmethod
    def with_attempts(cls, delivery: Delivery, attempts: list[Attempt]) -> DeliveryDetail:
        return cls(
            **DeliveryRead.fields_of(delivery),
            attempt_log=[AttemptRead.of(a) for a in attempts],
            event=json.loads(delivery.body),
        )


class DeliveryList(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples({"deliveries": [_DELIVERY]}))

    deliveries: list[DeliveryRead]
