"""Fixtures of the registration tests: the app running with its lifespan against the real infra."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from testkit.registration_harness import new_partner, running

from registration.config import RegistrationSettings
from shared import qr_tokens


@pytest.fixture(scope="session")
def qr_keypair() -> tuple[str, str]:
    """(private, public) QR signing keys for this run."""
    return qr_tokens.generate_keypair()


@pytest.fixture
def settings(make_settings: Callable[..., Any], qr_keypair: tuple[str, str]) -> RegistrationSettings:
    built: RegistrationSettings = make_settings(RegistrationSettings, qr_private_key=qr_keypair[0])
    return built


@pytest.fixture
async def api(settings: RegistrationSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(settings) as client:
        yield client


@pytest.fixture
async def partner(api: httpx.AsyncClient) -> str:
    return await new_partner(api)
