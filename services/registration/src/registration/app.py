"""The registration service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from registration.config import RegistrationSettings
from shared.http.service_app import create_service_app


def create_app(settings: RegistrationSettings | None = None) -> FastAPI:
    return create_service_app(settings or RegistrationSettings(), title="Programme Pulse — registration")
