"""Settings of the registration service."""

from __future__ import annotations

from shared.settings import BaseServiceSettings


class RegistrationSettings(BaseServiceSettings):
    service_name: str = "registration"
