"""Fixtures of the events tests: the app against the real Kafka and MongoDB-wire server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from testkit.events_service import EventsService, running

from events.config import EventsSettings
from shared.qr_tokens import generate_keypair


@pytest.fixture(scope="session")
def qr_keys() -> tuple[str, str]:
    """A (private, public) QR signing pair for the whole run."""
    return generate_keypair()


@pytest.fixture
def events_settings(make_settings: Callable[..., Any], qr_keys: tuple[str, str]) -> EventsSettings:
    settings: EventsSettings = make_settings(EventsSettings, qr_public_key=qr_keys[1])
    return settings


@pytest.fixture
async def service(events_settings: EventsSettings) -> AsyncIterator[EventsService]:
    async with running(events_settings) as service:
        yield service
