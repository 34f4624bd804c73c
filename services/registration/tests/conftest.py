"""Fixtures of the registration tests: the app running with its lifespan against the real infra."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from testkit.registration_bodies import admin_headers

from registration.app import create_app
from registration.config import RegistrationSettings
from shared import qr_tokens

QR_PRIVATE_KEY, QR_PUBLIC_KEY = qr_tokens.generate_keypair()


@asynccontextmanager
async def running(settings: RegistrationSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The service with its lifespan (indexes, producer, outbox relay) and a client talking to it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registration") as client:
            yield client


@pytest.fixture
def settings(make_settings: Callable[..., Any]) -> RegistrationSettings:
    built: RegistrationSettings = make_settings(RegistrationSettings, qr_private_key=QR_PRIVATE_KEY)
    return built


@pytest.fixture
async def api(settings: RegistrationSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(settings) as client:
        yield client


async def new_partner(api: httpx.AsyncClient, name: str = "UCL") -> str:
    response = await api.post("/v1/partners", json={"name": name}, headers=admin_headers())
    assert response.status_code == 201, response.text
    partner_id: str = response.json()["id"]
    return partner_id


@pytest.fixture
async def partner(api: httpx.AsyncClient) -> str:
    return await new_partner(api)
