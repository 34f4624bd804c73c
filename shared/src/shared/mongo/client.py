"""The one way to open MongoDB: pymongo's async client with timeouts suited to a service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from prometheus_client import Histogram
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

Document = dict[str, Any]
T = TypeVar("T")
# FerretDB v1 compares each document it finds with every value of an $in list: a lookup of 10,000 ids took
# 1.7 s of its CPU, in slices of 500 0.8 s (1,000: 0.9 s; 250: 1.0 s).
IN_SLICE = 500

COMMAND_SECONDS = Histogram(
    "pulse_mongo_command_seconds",
    "MongoDB command latency by command name (find, insert, update, aggregate...) and outcome",
    ["command", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class CommandTimer(monitoring.CommandListener):
    """Times every command by its name only: no filter, document or collection name reaches the metric."""

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        """Nothing to do until the command ends."""

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        COMMAND_SECONDS.labels(event.command_name, "ok").observe(event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        COMMAND_SECONDS.labels(event.command_name, "error").observe(event.duration_micros / 1e6)


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
        event_listeners=[CommandTimer()],
    )


async def ping(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True


async def retrying(write: Callable[[], Awaitable[T]], attempts: int = 8) -> T:
    """Retry a write that FerretDB's SQLite backend refused because another write held the database.

    Such a write was not applied (SQLite rolls the statement back), so trying again is safe.
    """
    for attempt in range(attempts - 1):
        try:
            return await write()
        except OperationFailure as exc:
            if "database is locked" not in str(exc):
                raise
            await asyncio.sleep(0.02 * 2**attempt)
    return await write()


async def find_in(
    collection: AsyncCollection[Document],
    field: str,
    values: Iterable[Any],
    projection: Document | None = None,
    query: Document | None = None,
) -> list[Document]:
    """The documents matching `query` whose `field` is one of `values`, found IN_SLICE values at a time."""
    listed = list(values)
    found: list[Document] = []
    for start in range(0, len(listed), IN_SLICE):
        in_slice = {**(query or {}), field: {"$in": listed[start : start + IN_SLICE]}}
        found.extend(await collection.find(in_slice, projection).to_list())
    return found
