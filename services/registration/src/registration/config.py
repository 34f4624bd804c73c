"""Settings of the registration service."""

from __future__ import annotations

from pydantic import Field, field_validator

from shared import qr_tokens
from shared.settings import GatewayTrustingSettings


class RegistrationSettings(GatewayTrustingSettings):
    service_name: str = "registration"
    programme_id: str = Field(default="resilience", min_length=1, description="default programme of partners")
    qr_private_key: str = Field(
        default="", repr=False, description="Ed25519 private key (base64url); empty disables QR tokens"
    )
    qr_token_ttl_days: int = Field(default=365, ge=1, le=3650)
    max_batch_items: int = Field(default=10_000, ge=1)

    @field_validator("qr_private_key")
    @classmethod
    def _loadable(cls, value: str) -> str:
        if value:
            try:
                qr_tokens.load_private_key(value)
            except ValueError as exc:
                raise ValueError("PULSE_QR_PRIVATE_KEY is not a base64url Ed25519 private key") from exc
        return value
