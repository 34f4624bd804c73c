"""Settings of the events service."""

from __future__ import annotations

from shared.settings import BaseServiceSettings


class EventsSettings(BaseServiceSettings):
    service_name: str = "events"
