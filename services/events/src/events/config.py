"""Settings of the events service."""

from __future__ import annotations

from pydantic import Field

from shared.settings import GatewayTrustingSettings


class EventsSettings(GatewayTrustingSettings):
    service_name: str = "events"
    programme_id: str = Field(default="resilience", min_length=1, max_length=64)
    qr_public_key: str = Field(default="", description="base64url Ed25519 public key that verifies QR tokens")
    max_batch_records: int = Field(default=10_000, ge=1, le=100_000)
