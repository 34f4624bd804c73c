"""Settings of the gateway service."""

from __future__ import annotations

import ipaddress

from pydantic import Field, SecretStr, field_validator

from shared import signed_tokens
from shared.settings import BaseServiceSettings

MIN_ADMIN_KEY_LENGTH = 20


class GatewaySettings(BaseServiceSettings):
    """Where the services are, the first admin key, and the limits of the public door."""

    service_name: str = "gateway"
    admin_key: SecretStr = Field(default=SecretStr(""), description="the first admin key (PULSE_ADMIN_KEY)")
    principal_private_key: SecretStr = Field(
        default=SecretStr(""), description="Ed25519 key (base64url) signing the principals sent to services"
    )
    registration_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    metrics_url: str = "http://127.0.0.1:8003"
    programme_id: str = "resilience"

    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_batch_items: int = Field(default=10_000, ge=1)
    # Each pair is counted as `burst` requests per window of burst/rate seconds, across all replicas.
    rate_per_key: float = Field(default=50.0, gt=0, description="requests per second per key")
    burst_per_key: float = Field(default=200.0, ge=1)
    auth_failure_rate: float = Field(
        default=1.0, gt=0, description="failed key attempts per second per address"
    )
    auth_failure_burst: float = Field(default=20.0, ge=1)
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        description="proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed",
    )
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

    @field_validator("admin_key")
    @classmethod
    def _refuse_placeholder_admin_key(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().strip()) < MIN_ADMIN_KEY_LENGTH:
            raise ValueError(
                f"PULSE_ADMIN_KEY must be a random secret of at least {MIN_ADMIN_KEY_LENGTH} characters"
                " (for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return value

    @field_validator("principal_private_key")
    @classmethod
    def _loadable_principal_key(cls, value: SecretStr) -> SecretStr:
        try:
            signed_tokens.load_private_key(value.get_secret_value())
        except ValueError as exc:
            raise ValueError(
                "PULSE_PRINCIPAL_PRIVATE_KEY must be an Ed25519 private key, base64url"
                " (`make keys` prints a pair)"
            ) from exc
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for part in (p.strip() for p in value.split(",")):
            try:
                if part:
                    ipaddress.ip_network(part)
            except ValueError as exc:
                raise ValueError(
                    f"PULSE_FORWARDED_ALLOW_IPS: {part!r} is not an address or a CIDR network"
                ) from exc
        return value
