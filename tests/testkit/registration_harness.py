"""Running the registration service in-process against the real infra, and looking at what it stored and sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from registration.app import create_app
from registration.config import RegistrationSettings
from shared.mongo.client import Document, make_mongo_client
from testkit.kafka_reading import read_exactly
from testkit.registration_bodies import admin_headers


@asynccontextmanager
async def running(settings: RegistrationSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The service with its lifespan (indexes, producer, outbox relay) and a client talking to it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registration") as client:
            yield client


async def new_partner(api: httpx.AsyncClient, name: str = "UCL") -> str:
    response = await api.post("/v1/partners", json={"name": name}, headers=admin_headers())
    assert response.status_code == 201, response.text
    partner_id: str = response.json()["id"]
    return partner_id


@asynccontextmanager
async def database(settings: RegistrationSettings) -> AsyncIterator[AsyncDatabase[Document]]:
    """The service's database, read directly to see what is (and is not) stored."""
    client = make_mongo_client(settings.mongo_url)
    try:
        yield client[settings.database_name]
    finally:
        await client.close()


async def stored_participants(settings: RegistrationSettings) -> list[Document]:
    async with database(settings) as db:
        return await db["participants"].find({}).to_list()


async def wait_until_outbox_drained(settings: RegistrationSettings, timeout_s: float = 30) -> None:
    """Wait until the relay has published every pending event; after that it sends nothing more."""
    async with database(settings) as db, asyncio.timeout(timeout_s):
        # Polling is the point here: the database is the only place that knows.
        while await db["participants"].count_documents({"outbox_pending": True}):  # noqa: ASYNC110
            await asyncio.sleep(0.2)


async def published(
    settings: RegistrationSettings, expected: int, timeout_s: float = 30
) -> list[dict[str, Any]]:
    """The CloudEvents on the participants topic, asserting it holds exactly `expected` of them."""
    await wait_until_outbox_drained(settings)
    return await read_exactly(settings.kafka_bootstrap, settings.topics.participants, expected, timeout_s)
