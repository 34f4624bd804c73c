"""How every Kafka client of the platform connects: the bootstrap servers and the client's credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from aiokafka.helpers import create_ssl_context

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


@dataclass(frozen=True)
class KafkaConnection:
    """Where the brokers are and how this client proves who it is (docs/architecture.md, Security model).

    With SASL_PLAINTEXT or SASL_SSL the client authenticates as `username` with `password` (SCRAM by
    default); with SSL or SASL_SSL it trusts the brokers' certificates signed by `ca_file` (the system's
    trusted CAs when empty).
    """

    bootstrap: str
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin): the only place they are made."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": self.security_protocol,
        }
        if self.security_protocol.startswith("SASL_"):
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.username
            options["sasl_plain_password"] = self.password
        if self.security_protocol.endswith("SSL"):
            options["ssl_context"] = create_ssl_context(cafile=self.ca_file or None)
        return options


class Client(Protocol):
    """An aiokafka producer or consumer, as far as starting and stopping it goes."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def start_or_stop(client: Client) -> None:
    """Start `client`; stopped again if that fails or is cancelled (a shutdown, a ping's timeout).

    By then it may hold connections, a metadata task and, for a consumer, a group member joining, which
    nothing else would close: the caller starts another one when it tries again. A member's stop waits for
    the group to answer its join.
    """
    try:
        await client.start()
    except BaseException:
        await client.stop()
        raise
