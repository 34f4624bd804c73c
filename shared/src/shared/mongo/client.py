"""The one way to open MongoDB: pymongo's async client, configured by MONGO_URL, with a service's defaults.

FerretDB's needs are not here but in shared.mongo.flavour; the local runner's URL carries the options
FerretDB needs (retryWrites=false).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from prometheus_client import Histogram
from pymongo import AsyncMongoClient, monitoring

Document = dict[str, Any]
# Fail fast when the server is away instead of hanging a request; MONGO_URL's own options win.
DEFAULT_OPTIONS: dict[str, Any] = {
    "serverSelectionTimeoutMS": 5000,
    "connectTimeoutMS": 5000,
    "socketTimeoutMS": 60000,
    "appname": "programme-pulse",
}
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
    """A client for MONGO_URL: its options (retryWrites, replicaSet, appname, timeouts...) decide."""
    given = {name.lower() for name, _ in parse_qsl(urlsplit(url).query)}
    defaults = {name: value for name, value in DEFAULT_OPTIONS.items() if name.lower() not in given}
    return AsyncMongoClient(url, tz_aware=True, event_listeners=[CommandTimer()], **defaults)


async def ping(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
