"""The shared MongoDB helpers and the outbox against the real database and broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from bson import ObjectId
from bson.regex import Regex
from prometheus_client import REGISTRY
from pymongo import ASCENDING
from pymongo.errors import WriteError
from testkit.kafka_reading import read_all
from testkit.outbox_parts import GatedProducer, OutboxParts
from testkit.tasks import cancel_and_wait

from shared.contracts.payloads import AttendanceRecorded
from shared.mongo import outbox as outbox_module
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour
from shared.mongo.outbox import (
    OutboxRelay,
    ensure_outbox_index,
    push_outbox,
)
from shared.settings import BaseServiceSettings

pytestmark = pytest.mark.integration


async def test_a_document_round_trips_through_the_database(make_settings: Callable[..., Any]) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    client = make_mongo_client(settings.mongo_url)
    try:
        coll = client[settings.database_name]["things"]
        await coll.insert_one({"_id": "x1", "name": "Ada", "n": 1})
        await coll.update_one({"_id": "x1"}, {"$inc": {"n": 2}})
        assert await coll.find_one({"_id": "x1"}) == {"_id": "x1", "name": "Ada", "n": 3}
    finally:
        await client.close()


async def test_outbox_relay_publishes_each_pending_event_once(outbox: OutboxParts) -> None:
    coll = outbox.db["docs"]
    await ensure_outbox_index(coll)
    await coll.insert_many([outbox.doc(1), outbox.doc(2)])
    await coll.update_one({"_id": 1}, push_outbox([outbox.message(3)]))
    relay = OutboxRelay(outbox.producer, [coll], flavour=outbox.flavour)

    assert await relay.drain() == 3
    assert await relay.drain() == 0  # nothing is sent twice
    assert await coll.count_documents({"outbox_pending": True}) == 0
    assert sorted(await outbox.published(3)) == ["a1", "a2", "a3"]
    records = await read_all(outbox.settings.kafka_bootstrap, outbox.settings.topics.attendance, 1)
    assert (
        AttendanceRecorded.model_validate(json.loads(records[0].value)["data"]).programme_id == "resilience"
    )


async def test_a_running_relay_publishes_handed_over_and_woken_writes_at_once_and_the_rest_on_its_idle_scan(
    outbox: OutboxParts,
) -> None:
    announced, handed_over, unannounced = (outbox.db[name] for name in ("announced", "handed", "unannounced"))
    relay = OutboxRelay(
        outbox.producer,
        [announced, handed_over, unannounced],
        flavour=outbox.flavour,
        batch_size=2,
        idle_scan_interval_s=10,
    )
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)  # the first pass has found nothing
        await announced.insert_many([outbox.doc(n) for n in range(1, 6)])  # more than two pages of two
        relay.wake(announced)
        handed = [outbox.doc(n) for n in (6, 7, 8)]
        await handed_over.insert_many(handed)
        relay.hand_over(handed_over, handed)
        await unannounced.insert_one(outbox.doc(9))  # neither: left to the idle scan
        # Well before the idle scan: the wake-up and the hand-over alone publish these eight.
        early = await outbox.published(8, timeout_s=6)
        everything = await outbox.published(9)
        pending = await handed_over.count_documents({"outbox_pending": True})
    finally:
        await cancel_and_wait(running)

    assert sorted(early) == [f"a{n}" for n in range(1, 9)]
    assert everything[-1] == "a9"
    assert pending == 0
    assert REGISTRY.get_sample_value("pulse_outbox_backlog", {"collection": "announced"}) == 0


async def test_a_stopping_relay_stops_trying_to_clear_at_its_bound(
    outbox: OutboxParts, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A busy or vanished database must not hold a stopping service (nor a test) past its bound.
    monkeypatch.setattr(outbox_module, "CLEAR_ON_STOP_S", 0.2)
    relay = OutboxRelay(outbox.producer, [outbox.db["stopping"]], flavour=outbox.flavour)
    asked = asyncio.Event()

    async def never_answers() -> None:
        asked.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(relay, "_clear_sent", never_answers)
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)
        running.cancel()
        ended, _ = await asyncio.wait({running}, timeout=5)
    finally:
        await cancel_and_wait(running)
    assert asked.is_set()
    assert ended == {running}


async def test_documents_handed_over_before_the_bound_are_not_read_back_too(outbox: OutboxParts) -> None:
    # Past the bound the relay reads the collection back; what it still held from hand-overs must not be
    # read as well (a 200,000-record ingest published 50,000 events twice before this was so).
    coll = outbox.db["bounded"]
    await ensure_outbox_index(coll)
    producer = GatedProducer(outbox.settings.kafka)
    relay = OutboxRelay(producer, [coll], flavour=outbox.flavour, idle_scan_interval_s=60, max_handed=4)
    running = asyncio.create_task(relay.run())
    docs = [outbox.doc(n) for n in range(9)]
    try:
        await asyncio.sleep(0.5)  # the first pass has found nothing
        await coll.insert_many(docs)
        relay.hand_over(coll, docs[0:3])  # held: three of at most four
        relay.hand_over(coll, docs[3:6])  # past the bound: left to a read of the collection
        await asyncio.wait_for(producer.waiting.wait(), 5)  # the relay sends the three it held...
        relay.hand_over(coll, docs[6:9])  # ...when these are handed over, before it reads
        producer.gate.set()
        published = await outbox.published(9)
        for _ in range(100):
            if await coll.count_documents({"outbox_pending": True}) == 0:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)  # an event sent twice would have followed by now
        with pytest.raises(TimeoutError):
            await outbox.published(10, timeout_s=3)
    finally:
        await cancel_and_wait(running)
        await producer.stop()

    assert sorted(published) == [f"a{n}" for n in range(9)]


CLEAR_DELAY_S = 3.0


def _updates_sent() -> float:
    return (
        REGISTRY.get_sample_value("pulse_mongo_command_seconds_count", {"command": "update", "outcome": "ok"})
        or 0.0
    )


async def test_check_ins_handed_over_one_by_one_are_published_at_once_and_cleared_together(
    outbox: OutboxParts,
) -> None:
    doors = outbox.db["doors"]
    relay = OutboxRelay(
        outbox.producer, [doors], flavour=outbox.flavour, idle_scan_interval_s=60, clear_delay_s=CLEAR_DELAY_S
    )
    running = asyncio.create_task(relay.run())

    async def check_in(n: int) -> None:
        doc = outbox.doc(n)
        await doors.insert_one(doc)
        relay.hand_over(doors, [doc])

    try:
        await asyncio.sleep(0.5)  # the first pass has found nothing
        await check_in(0)  # the producer learns the topic; its clearing starts the delay
        await outbox.published(1, timeout_s=5)
        updates_before = _updates_sent()
        for n in range(1, 6):
            await check_in(n)
            await asyncio.sleep(0.3)  # each in a pass of its own, all within the delay
        published = await outbox.published(6, timeout_s=5)
        for _ in range(100):
            if await doors.count_documents({"outbox_pending": True}) == 0:
                break
            await asyncio.sleep(0.05)
        pending = await doors.count_documents({"outbox_pending": True})
        updates = _updates_sent() - updates_before
    finally:
        await cancel_and_wait(running)

    assert sorted(published) == [f"a{n}" for n in range(6)]
    assert pending == 0
    assert updates == 1  # six passes, one clearing update


async def test_indexed_lookups_find_every_match_including_arrays(make_settings: Callable[..., Any]) -> None:
    # The local FerretDB build narrows such lookups with its indexes (pushdown.go.in); none may be lost.
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    client = make_mongo_client(settings.mongo_url)
    try:
        coll = client[settings.database_name]["indexed"]
        await coll.create_index([("tag", ASCENDING), ("owner", ASCENDING)])
        await coll.create_index([("pending", ASCENDING)])
        await coll.insert_many(
            [
                {"_id": "plain", "tag": 'a<é"/', "owner": "o1", "pending": True},
                {"_id": "other", "tag": "b", "owner": "o1", "pending": False},
                {"_id": "listed", "tag": ["x", 'a<é"/'], "owner": ["o2", "o1"], "pending": [False, True]},
                {"_id": "number", "tag": 1, "owner": "o1", "pending": 1},
            ]
        )

        async def ids(query: dict[str, Any]) -> set[str]:
            return {d["_id"] async for d in coll.find(query, {"_id": 1})}

        assert await ids({"tag": 'a<é"/'}) == {"plain", "listed"}
        assert await ids({"tag": {"$in": ['a<é"/', "b"]}, "owner": "o1"}) == {"plain", "other", "listed"}
        assert await ids({"pending": True}) == {"plain", "listed"}
        assert await ids({"_id": {"$in": ["plain", "listed", "nobody"]}, "owner": "o2"}) == {"listed"}
        assert await ids({"_id": "number", "pending": 1}) == {"number"}
        # The build compares a string field with listed strings directly; other values as before.
        assert await ids({"tag": {"$in": [1, "b"]}}) == {"other", "number"}
        assert await ids({"tag": {"$in": [Regex("^a<")]}}) == {"plain", "listed"}
        assert await ids({"tag": {"$nin": ["b", 1]}}) == {"plain", "listed"}
        result = await coll.update_many({"_id": {"$in": ["plain", "other"]}}, {"$set": {"pending": False}})
        assert result.matched_count == 2
        assert await ids({"pending": True}) == {"listed"}
    finally:
        await client.close()


async def test_a_delete_by_id_removes_exactly_that_document(make_settings: Callable[..., Any]) -> None:
    # The local FerretDB build deletes by a filter of only a string or ObjectId _id without reading it.
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    client = make_mongo_client(settings.mongo_url)
    try:
        coll = client[settings.database_name]["deleted"]
        oid = ObjectId()
        await coll.insert_many([{"_id": "a"}, {"_id": "b", "n": 1}, {"_id": oid}, {"_id": 1}, {"_id": "1"}])
        assert (await coll.delete_one({"_id": "a"})).deleted_count == 1
        assert (await coll.delete_one({"_id": "a"})).deleted_count == 0
        assert (await coll.delete_many({"_id": "b", "n": 2})).deleted_count == 0  # every field still counts
        assert (await coll.delete_one({"_id": oid})).deleted_count == 1
        assert (await coll.delete_many({"_id": "1"})).deleted_count == 1  # the string, not the number
        assert sorted([str(d["_id"]) async for d in coll.find()]) == ["1", "b"]
        assert await coll.find_one({"_id": 1}) == {"_id": 1}
    finally:
        await client.close()


async def test_find_in_finds_every_listed_value_across_its_slices(make_settings: Callable[..., Any]) -> None:
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    client = make_mongo_client(settings.mongo_url)
    try:
        coll = client[settings.database_name]["listed"]
        await coll.insert_many([{"_id": f"p{n}", "odd": n % 2 == 1} for n in range(1300)])
        wanted = [f"p{n}" for n in range(1300)] + ["nobody"]  # three slices of at most 500 on FerretDB
        find_in = MongoFlavour(client).find_in

        assert len(await find_in(coll, "_id", wanted)) == 1300
        odd = await find_in(coll, "_id", wanted, {"_id": 1}, {"odd": True})
        assert sorted(d["_id"] for d in odd) == sorted(f"p{n}" for n in range(1, 1300, 2))
        assert odd[0] == {"_id": odd[0]["_id"]}  # the projection holds
        assert await find_in(coll, "_id", []) == []
    finally:
        await client.close()


async def test_a_multi_document_update_changes_every_match(make_settings: Callable[..., Any]) -> None:
    # The local FerretDB build writes modified documents in batches of 1,000; 2,500 spans three.
    settings: BaseServiceSettings = make_settings(BaseServiceSettings)
    client = make_mongo_client(settings.mongo_url)
    try:
        coll = client[settings.database_name]["many"]
        await coll.insert_many([{"_id": n, "v": 0, "n": "x" if n == 2400 else n} for n in range(2500)])
        result = await coll.update_many({"_id": {"$in": list(range(0, 2500, 2))}}, {"$inc": {"v": 1}})
        assert (result.matched_count, result.modified_count) == (1250, 1250)
        assert await coll.count_documents({"v": 1}) == 1250
        with pytest.raises(WriteError):  # stops at the document whose n is not a number
            await coll.update_many({}, {"$inc": {"n": 1}})
        # The documents before it (in insertion order, three batches of them) keep their change.
        changed = [(await coll.find_one({"_id": n}) or {}).get("n") for n in (0, 1999, 2399, 2401)]
        assert changed == [1, 2000, 2400, 2401]
    finally:
        await client.close()
