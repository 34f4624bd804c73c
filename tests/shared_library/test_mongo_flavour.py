"""MONGO_URL decides the client's options, and FerretDB's workarounds apply against FerretDB only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import OperationFailure

from pulse_local import platform
from shared.mongo.client import Document, make_mongo_client
from shared.mongo.flavour import FERRETDB, MONGODB, FlavourSetting, MongoFlavour


@pytest.fixture
async def unconnected() -> AsyncIterator[AsyncMongoClient[Document]]:
    """A client of a server that is not there: a flavour given by the setting never asks it."""
    client = make_mongo_client("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100")
    yield client
    await client.close()


async def test_the_url_options_reach_the_client_and_defaults_fill_the_rest() -> None:
    given = make_mongo_client(
        "mongodb://127.0.0.1:1/?retryWrites=true&appname=pulse-events&serverSelectionTimeoutMS=1234"
    )
    bare = make_mongo_client("mongodb://127.0.0.1:1/?retrywrites=false")
    try:
        assert given.options.retry_writes is True
        assert given.options.pool_options.metadata["application"] == {"name": "pulse-events"}
        assert given.options.server_selection_timeout == 1.234
        assert bare.options.retry_writes is False  # option names are case-insensitive
        assert bare.options.pool_options.metadata["application"] == {"name": "programme-pulse"}
        assert bare.options.server_selection_timeout == 5.0
    finally:
        await given.close()
        await bare.close()


@pytest.mark.integration
async def test_the_adapter_finds_ferretdb_behind_the_local_runners_url(infra: platform.Infra) -> None:
    if not infra.started_mongo:
        pytest.skip("the test database is a given MongoDB or a container, not the local runner's FerretDB")
    client = make_mongo_client(infra.mongo_url)
    try:
        assert await MongoFlavour(client).workarounds() == FERRETDB
        assert client.options.retry_writes is False  # the local runner's URL says what FerretDB needs
        assert await MongoFlavour(client, "mongodb").workarounds() == MONGODB  # the setting wins
    finally:
        await client.close()


class Locked:
    """A write SQLite refuses `refusals` times with "database is locked" before it is applied."""

    def __init__(self, refusals: int, message: str = "database is locked") -> None:
        self.calls = 0
        self.refusals = refusals
        self.message = message

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.refusals:
            raise OperationFailure(self.message)
        return "written"


async def held_together(flavour: MongoFlavour) -> bool:
    """Whether a second task gets the write lock while a first one holds it."""
    first_in, second_in = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with flavour.write_lock():
            first_in.set()
            await asyncio.sleep(0.2)

    async def second() -> bool:
        await first_in.wait()
        async with flavour.write_lock():
            second_in.set()
            return not holder.done()

    holder = asyncio.create_task(first())
    async with asyncio.timeout(10):
        together = await second()
        await holder
    return together


async def test_the_mongodb_flavour_adds_no_lock_no_retry_and_one_in_list(
    unconnected: AsyncMongoClient[Document],
) -> None:
    flavour = MongoFlavour(unconnected, "mongodb")
    write = Locked(refusals=1)
    with pytest.raises(OperationFailure):
        await flavour.retrying(write)
    assert write.calls == 1
    assert await held_together(flavour) is True
    assert [len(s) for s in await flavour.slices(list(range(1300)))] == [1300]


async def test_the_ferretdb_flavour_serializes_retries_locked_writes_and_slices_in_lists(
    unconnected: AsyncMongoClient[Document],
) -> None:
    flavour = MongoFlavour(unconnected, "ferretdb")
    write = Locked(refusals=2)
    assert await flavour.retrying(write) == "written"
    assert write.calls == 3
    other = Locked(refusals=1, message="E11000 duplicate key")
    with pytest.raises(OperationFailure):  # only a locked database is tried again
        await flavour.retrying(other)
    assert other.calls == 1
    assert await held_together(flavour) is False
    assert [len(s) for s in await flavour.slices(list(range(1300)))] == [500, 500, 300]


@pytest.mark.parametrize("setting", ["mongodb", "ferretdb"])
async def test_a_given_flavour_never_asks_the_server(
    unconnected: AsyncMongoClient[Document], setting: FlavourSetting
) -> None:
    assert (await MongoFlavour(unconnected, setting).workarounds()).name == setting
