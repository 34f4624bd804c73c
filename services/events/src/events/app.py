"""The events service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from events.config import EventsSettings
from shared.http.service_app import create_service_app


def create_app(settings: EventsSettings | None = None) -> FastAPI:
    return create_service_app(settings or EventsSettings(), title="Programme Pulse — events")
