"""Settings of the gateway service."""

from __future__ import annotations

from shared.settings import BaseServiceSettings


class GatewaySettings(BaseServiceSettings):
    service_name: str = "gateway"
