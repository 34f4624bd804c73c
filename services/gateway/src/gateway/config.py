"""Settings of the gateway service."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from shared import qr_tokens
from shared.settings import BaseServiceSettings

MIN_ADMIN_KEY_LENGTH = 20
# Where `make door` (npm ci in services/gateway/web) puts the QR reader's built files.
DEFAULT_DOOR_SCANNER_DIR = (
    Path(__file__).resolve().parents[2] / "web" / "node_modules" / "zxing-wasm" / "dist"
)


class GatewaySettings(BaseServiceSettings):
    """Where the services are, the first admin key, and the limits of the public door."""

    service_name: str = "gateway"
    admin_key: SecretStr = Field(default=SecretStr(""), description="the first admin key (PULSE_ADMIN_KEY)")
    registration_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    metrics_url: str = "http://127.0.0.1:8003"
    programme_id: str = "resilience"

    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_batch_items: int = Field(default=10_000, ge=1)
    rate_per_key: float = Field(default=50.0, gt=0, description="requests per second per key")
    burst_per_key: float = Field(default=200.0, ge=1)
    auth_failure_rate: float = Field(default=1.0, gt=0, description="failed key attempts per second per IP")
    auth_failure_burst: float = Field(default=20.0, ge=1)
    key_cache_ttl_s: float = Field(default=3.0, ge=0)
    checkin_key_max_days: int = Field(default=30, ge=1)

    upstream_connect_timeout_s: float = Field(default=2.0, gt=0)
    upstream_read_timeout_s: float = Field(default=30.0, gt=0)
    upstream_connections: int = Field(
        default=20,
        ge=1,
        description="requests in flight to each service at once; more wait, up to the connect timeout",
    )
    openapi_refresh_s: float = Field(default=30.0, gt=0)
    sse_retry_ms: int = Field(default=3000, ge=0)
    qr_public_key: str = Field(
        default="", description="base64url Ed25519 public key of QR tokens, served to door devices"
    )
    door_scanner_dir: Path = Field(
        default=DEFAULT_DOOR_SCANNER_DIR, description="zxing-wasm's dist folder, installed by `make door`"
    )

    @field_validator("admin_key")
    @classmethod
    def _refuse_placeholder_admin_key(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().strip()) < MIN_ADMIN_KEY_LENGTH:
            raise ValueError(
                f"PULSE_ADMIN_KEY must be a random secret of at least {MIN_ADMIN_KEY_LENGTH} characters"
                " (for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return value

    @field_validator("qr_public_key")
    @classmethod
    def _refuse_a_key_that_is_not_one(cls, value: str) -> str:
        """Fail at start, not on a door device, when the configured key is not a key."""
        if value:
            try:
                qr_tokens.load_public_key(value)
            except ValueError as exc:
                raise ValueError(
                    "PULSE_QR_PUBLIC_KEY must be base64url of a 32-byte Ed25519 public key"
                ) from exc
        return value
