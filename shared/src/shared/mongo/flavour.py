"""The one adapter between the services and the MongoDB-wire server they found: MongoDB, or FerretDB v1.

Production runs on a MongoDB replica set, which needs none of FerretDB's workarounds; the local runner runs
FerretDB v1 over SQLite (docs/architecture.md, Storage and FerretDB), which needs these, and only these
places apply them:

- one write at a time per process (`write_lock`): FerretDB v1 could lose one of two concurrent updates of a
  document, so registration's participant updates and the outbox relay's clearing take the same lock;
- `$in` lists of at most 500 values (`find_in`, the outbox's clearing, bulk writes in slices): FerretDB
  compares each document it finds with every listed value (10,000 ids: 1.7 s of its CPU; in slices of 500,
  0.8 s) and updates a few hundred documents a second, so each command stays within the socket timeout;
- bulk inserts of at most 1,000 documents (the batch outbox's slices): FerretDB slows sharply past that;
- writes retried when SQLite answers "database is locked" (`retrying`): such a write was not applied.

Against MongoDB there is no lock and no retry (the driver's retryable writes, set by MONGO_URL, cover a
primary's failover), and the only bound kept is MongoDB's own: a command is one BSON document of at most
16 MiB, so `$in` lists and bulk writes stay at 50,000 values and the batch outbox's id lists (one document
each) at 10,000 ids.

Which server it is comes from `buildInfo`, which FerretDB answers with its own `ferretdbVersion` field, asked
once on first use (so a service may start before the database); PULSE_MONGO_FLAVOUR=mongodb|ferretdb says it
instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from shared.mongo.client import Document

T = TypeVar("T")
FlavourSetting = Literal["auto", "mongodb", "ferretdb"]


@dataclass(frozen=True)
class Workarounds:
    """What one kind of server needs from its clients."""

    name: str
    serialize_writes: bool
    in_slice: int  # values per $in list, operations per bulk write
    insert_slice: int  # documents per batch-outbox insert, and ids per recorded blob
    locked_write_attempts: int  # tries of one write refused with "database is locked"
    bulk_write_attempts: int  # tries of a bulk write whose failure left part of it applied


FERRETDB = Workarounds(
    "ferretdb",
    serialize_writes=True,
    in_slice=500,
    insert_slice=1000,
    locked_write_attempts=8,
    bulk_write_attempts=5,
)
MONGODB = Workarounds(
    "mongodb",
    serialize_writes=False,
    in_slice=50_000,
    insert_slice=10_000,
    locked_write_attempts=1,
    bulk_write_attempts=1,
)


class MongoFlavour:
    """The workarounds the server behind one client needs, found on first use; one per process."""

    def __init__(self, client: AsyncMongoClient[Document], setting: FlavourSetting = "auto") -> None:
        self._client = client
        self._workarounds: Workarounds | None = {"auto": None, "mongodb": MONGODB, "ferretdb": FERRETDB}[
            setting
        ]
        self._lock = asyncio.Lock()

    async def workarounds(self) -> Workarounds:
        if self._workarounds is None:
            build = await self._client.admin.command("buildInfo")
            self._workarounds = FERRETDB if "ferretdbVersion" in build else MONGODB
        return self._workarounds

    @asynccontextmanager
    async def write_lock(self) -> AsyncIterator[None]:
        """Held around writes that may update the same documents as another task of this process."""
        if (await self.workarounds()).serialize_writes:
            async with self._lock:
                yield
        else:
            yield

    async def retrying(self, write: Callable[[], Awaitable[T]]) -> T:
        """Run `write`; against FerretDB, again (with backoff) while SQLite answers "database is locked".

        Such a write was not applied (SQLite rolls the statement back), so trying again is safe.
        """
        attempts = (await self.workarounds()).locked_write_attempts
        for attempt in range(attempts - 1):
            try:
                return await write()
            except OperationFailure as exc:
                if "database is locked" not in str(exc):
                    raise
                await asyncio.sleep(0.02 * 2**attempt)
        return await write()

    async def slices(self, items: Sequence[T]) -> list[list[T]]:
        """`items` in slices of at most `in_slice`: one $in list or bulk write each."""
        size = (await self.workarounds()).in_slice
        return [list(items[start : start + size]) for start in range(0, len(items), size)]

    async def find_in(
        self,
        collection: AsyncCollection[Document],
        field: str,
        values: Iterable[Any],
        projection: Document | None = None,
        query: Document | None = None,
    ) -> list[Document]:
        """The documents matching `query` whose `field` is one of `values`, found a slice of values at a time."""
        found: list[Document] = []
        for in_slice in await self.slices(list(values)):
            found.extend(
                await collection.find({**(query or {}), field: {"$in": in_slice}}, projection).to_list()
            )
        return found
