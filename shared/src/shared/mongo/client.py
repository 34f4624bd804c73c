"""The one way to open MongoDB: pymongo's async client with timeouts suited to a service."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient

Document = dict[str, Any]


def make_mongo_client(url: str) -> AsyncMongoClient[Document]:
    """A client that fails fast when the server is away instead of hanging a request."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        connectTimeoutMS=5000,
        socketTimeoutMS=60000,
        retryWrites=False,  # FerretDB v1 has no retryable writes; our writes are idempotent instead
        appname="programme-pulse",
    )


async def ping(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
