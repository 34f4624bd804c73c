"""The gateway service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.config import GatewaySettings
from shared.http.service_app import create_service_app


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    return create_service_app(settings or GatewaySettings(), title="Programme Pulse — gateway")
