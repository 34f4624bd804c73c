"""Settings of the events service."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.programmes import ProgrammeId
from shared.settings import GatewayTrustingSettings


class EventsSettings(GatewayTrustingSettings):
    service_name: str = "events"
    programme_id: ProgrammeId = "resilience"
    qr_public_key: str = Field(default="", description="base64url Ed25519 public key that verifies QR tokens")
    max_batch_records: int = Field(default=10_000, ge=1, le=100_000)
    # A bulk upload's buffers of megabytes cost less CPU kept than mapped afresh (shared/runtime/allocator.py).
    return_large_buffers: bool = False
    event_hold_s: float = Field(
        default=1.0,
        ge=0,
        le=10,
        description="seconds an instance answers check-ins from its look-up of the event: another instance's"
        " cancellation refuses its check-ins within this (0: the event is read for every check-in)",
    )
