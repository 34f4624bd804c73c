"""The metrics service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from metrics.config import MetricsSettings
from shared.http.service_app import create_service_app


def create_app(settings: MetricsSettings | None = None) -> FastAPI:
    return create_service_app(settings or MetricsSettings(), title="Programme Pulse — metrics")
