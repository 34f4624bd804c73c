"""Settings of the gateway service."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from gateway.domain.webhook_retries import DEFAULT_SCHEDULE_S
from shared import qr_tokens, signed_tokens
from shared.contracts.programmes import ProgrammeId
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
    principal_private_key: SecretStr = Field(
        default=SecretStr(""), description="Ed25519 key (base64url) signing the principals sent to services"
    )
    registration_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    metrics_url: str = "http://127.0.0.1:8003"
    programme_id: ProgrammeId = "resilience"

    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_batch_items: int = Field(default=10_000, ge=1)
    # Each pair is counted as `burst` requests per window of burst/rate seconds, across all replicas.
    rate_per_key: float = Field(default=50.0, gt=0, description="requests per second per key")
    burst_per_key: float = Field(default=200.0, ge=1)
    key_sync_s: float = Field(
        default=0.5,
        ge=0,
        le=5,
        description="seconds between a replica's syncs of the keys it serves with the database: a revoked key"
        " is refused everywhere within twice this, and each replica's counts reach the others within it"
        " (0: every request looks its key up and counts it in the database)",
    )
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
    idempotency_keep_hours: float = Field(
        default=24.0, ge=24, description="answers kept for Idempotency-Key retries (the draft: at least 24 h)"
    )
    sse_retry_ms: int = Field(default=3000, ge=0)
    sse_keepalive_s: float = Field(
        default=15.0, gt=0, description="a comment is sent on every open counters stream this often"
    )
    qr_public_key: str = Field(
        default="", description="base64url Ed25519 public key of QR tokens, served to door devices"
    )
    door_scanner_dir: Path = Field(
        default=DEFAULT_DOOR_SCANNER_DIR, description="zxing-wasm's dist folder, installed by `make door`"
    )

    webhook_allowed_hosts: list[str] = Field(
        default=[],
        description="hosts webhooks may reach over http and at private addresses (JSON list; tests, local use)",
    )
    webhook_retry_schedule_s: list[float] = Field(
        default=list(DEFAULT_SCHEDULE_S),
        min_length=1,
        description="seconds before each retry of a failed delivery (each +-20%); then it is dead-lettered",
    )
    webhook_timeout_s: float = Field(default=15.0, gt=0, description="bound on one delivery attempt")
    webhook_lease_s: float = Field(
        default=60.0, gt=0, description="how long an instance holds an attempt it claimed before another may"
    )
    webhook_concurrency: int = Field(default=32, ge=1, description="deliveries in flight per instance")
    webhook_per_endpoint: int = Field(
        default=2, ge=1, description="deliveries in flight to one endpoint per instance"
    )
    webhook_poll_interval_s: float = Field(
        default=1.0, gt=0, description="how often due retries are looked for"
    )
    webhook_milestone_step: int = Field(default=1000, ge=1, description="milestones: each multiple of this")
    webhook_secret_grace_s: float = Field(
        default=86400.0, ge=0, description="a rotated secret still signs deliveries this long"
    )
    webhook_max_endpoints: int = Field(default=10, ge=1, description="webhook endpoints per partner")
    webhook_retention_days: float = Field(
        default=30.0, gt=0, description="finished deliveries kept this long"
    )

    @property
    def idempotency_lease_s(self) -> float:
        """Longer than a forwarded request can take (a free connection, connecting, the answer), so a
        request whose lease ended died with its gateway and a retry may run it again."""
        return 2 * self.upstream_connect_timeout_s + self.upstream_read_timeout_s + 5.0

    @field_validator("webhook_allowed_hosts")
    @classmethod
    def _hosts_as_compared(cls, value: list[str]) -> list[str]:
        return [host.strip().strip("[]").lower() for host in value if host.strip()]

    @field_validator("webhook_lease_s")
    @classmethod
    def _lease_outlasts_an_attempt(cls, value: float, info: ValidationInfo) -> float:
        """An attempt must end before its lease does, or another instance would send it again meanwhile."""
        timeout = info.data.get("webhook_timeout_s", 0.0)
        if value <= timeout:
            raise ValueError(f"PULSE_WEBHOOK_LEASE_S must exceed PULSE_WEBHOOK_TIMEOUT_S ({timeout})")
        return value

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
