"""Settings every service reads from its environment."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.topics import Topics
from shared.kafka.connection import KafkaConnection, SaslMechanism, SecurityProtocol
from shared.principal_tokens import load_public_keys


class BaseServiceSettings(BaseSettings):
    """Kafka, MongoDB and logging settings shared by all services (env prefix `PULSE_`)."""

    model_config = SettingsConfigDict(env_prefix="PULSE_", extra="ignore", frozen=True, populate_by_name=True)

    service_name: str = "pulse"
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP", description="Kafka bootstrap servers"
    )
    kafka_security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT", description="PLAINTEXT, SASL_PLAINTEXT, SASL_SSL or SSL"
    )
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_username: str = Field(default="", description="SASL user of this service")
    kafka_password: SecretStr = Field(default=SecretStr(""), description="SASL password of this service")
    kafka_ca_file: str = Field(
        default="", description="CA certificate file for SSL/SASL_SSL (system CAs if empty)"
    )
    mongo_url: str = Field(
        default="mongodb://127.0.0.1:27017/", validation_alias="MONGO_URL", description="MongoDB URL"
    )
    mongo_flavour: Literal["auto", "mongodb", "ferretdb"] = Field(
        default="auto", description="the server behind MONGO_URL; auto asks it (shared.mongo.flavour)"
    )
    mongo_db: str = Field(default="", description="database name; defaults to the service name")
    mongo_db_prefix: str = Field(
        default="", description="prefix of the default database name, to isolate runs"
    )
    topic_prefix: str = Field(default="", description="prefix of every topic name, to isolate test runs")
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication: int = Field(default=1, ge=1)
    key_shred_s: float = Field(
        default=60.0,
        gt=0,
        description="pulse.participant-keys: its segment.ms, max.compaction.lag.ms and delete.retention.ms, "
        "and how often registration appends to each partition so an erased key's segment closes "
        "(docs/privacy.md states the bound that follows)",
    )
    return_large_buffers: bool = Field(
        default=True,
        description="give each freed buffer of 128 KiB or more back to the system at once: less memory held,"
        " more CPU where large buffers come and go (shared/runtime/allocator.py)",
    )
    log_level: str = "INFO"
    access_log: Literal["all", "writes"] = Field(
        default="writes",
        description="one log line per request (all), or per request that writes or fails, not per successful"
        " read (writes: a read costs a quarter of its CPU to log; /metrics counts every request)",
    )
    startup_timeout_s: float = Field(default=30.0, gt=0)
    shutdown_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="bound on stopping consumers, flushing the producer and closing clients",
    )
    otel_enabled: bool = Field(
        default=False, description="export OpenTelemetry traces to OTEL_EXPORTER_OTLP_ENDPOINT"
    )

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> BaseServiceSettings:
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_username and self.kafka_password.get_secret_value()
        ):
            raise ValueError(
                f"PULSE_KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs PULSE_KAFKA_USERNAME"
                " and PULSE_KAFKA_PASSWORD"
            )
        return self

    @property
    def kafka(self) -> KafkaConnection:
        return KafkaConnection(
            bootstrap=self.kafka_bootstrap,
            security_protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_username,
            password=self.kafka_password.get_secret_value(),
            ca_file=self.kafka_ca_file,
        )

    @property
    def database_name(self) -> str:
        return self.mongo_db or f"{self.mongo_db_prefix}{self.service_name}"

    @property
    def topics(self) -> Topics:
        return Topics(prefix=self.topic_prefix)


class GatewayTrustingSettings(BaseServiceSettings):
    """Settings of a service only the gateway calls: it trusts the principals the gateway signed, no others."""

    principal_public_key: str = Field(
        default="",
        repr=False,
        description="the gateway's Ed25519 public key(s), base64url, comma-separated while rotating",
    )

    @field_validator("principal_public_key")
    @classmethod
    def _principal_keys_loadable(cls, value: str) -> str:
        try:
            load_public_keys(value)
        except ValueError as exc:
            raise ValueError(
                "PULSE_PRINCIPAL_PUBLIC_KEY must be the gateway's Ed25519 public key, base64url"
                " (`make keys` prints a pair)"
            ) from exc
        return value


S = TypeVar("S", bound=BaseServiceSettings)


def settings_from_environment(settings_cls: type[S]) -> S:
    """The settings from the environment, or SystemExit with one line saying what is missing or wrong."""
    try:
        return settings_cls()
    except ValidationError as exc:
        service = settings_cls.model_fields["service_name"].default
        problems = "; ".join(_one_line(error) for error in exc.errors())
        raise SystemExit(f"{service} cannot start: {problems}") from None


def _one_line(error: ErrorDetails) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if message.startswith("PULSE_"):
        return message
    field = ".".join(str(part) for part in error["loc"])
    return f"PULSE_{field.upper()}: {message}"
