"""Privacy on a whole private platform: the one-student attack finds nothing, and an erased person is gone.

The platform releases public figures as often as it can (every half second, after a single attendance),
the worst case for the release schedule, so what is checked here is what rounding alone guarantees.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import stat
import uuid
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from pymongo import AsyncMongoClient
from testkit.events_bodies import attendance_record, batch_body, checkin_body
from testkit.fault_traffic import admin_counters, new_partner
from testkit.kafka_reading import read_to_end
from testkit.ops_calls import bearer
from testkit.private_platform import PrivatePlatform, private_platform
from testkit.registration_bodies import participant_body

from metrics.config import MetricsSettings
from metrics.rebuild import rebuild
from pulse_local.platform import env_for
from shared.contracts.counters import BREAKDOWNS, ProgrammeFigures
from shared.contracts.payloads import PARTICIPANT_ERASED, PARTICIPANT_REGISTERED
from shared.contracts.topics import Topics
from shared.sealing import Unsealable, key_bytes, unseal

pytestmark = pytest.mark.e2e

THRESHOLD = 4  # the default rule: nothing from 1 to 4 may be derived


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePlatform]:
    with private_platform(
        tmp_path_factory.mktemp("privacy-platform"),
        PULSE_PUBLIC_RELEASE_INTERVAL_S="0.5",
        PULSE_PUBLIC_RELEASE_MIN_ATTENDANCES="1",
        PULSE_KEY_SHRED_S="1",  # keys' segments close every second, so an erased key is cleaned in seconds
    ) as running:
        yield running


@pytest.fixture
async def client(platform: PrivatePlatform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as gateway:
        yield gateway


async def register(client: httpx.AsyncClient, key: str, bodies: list[dict[str, Any]]) -> list[str]:
    answer = await client.post("/v1/participants:batch", json={"participants": bodies}, headers=bearer(key))
    assert answer.status_code == 200, answer.text
    return [result["id"] for result in answer.json()["results"]]


async def attend(client: httpx.AsyncClient, key: str, event_id: str, participant_ids: list[str]) -> None:
    records = [attendance_record(event_id, pid) for pid in participant_ids]
    answer = await client.post("/v1/attendance:batch", json=batch_body(records), headers=bearer(key))
    assert answer.status_code == 200, answer.text


async def exact_students(client: httpx.AsyncClient, admin_key: str, wanted: int) -> None:
    for _ in range(240):
        if (await admin_counters(client, admin_key)).get("students_reached") == wanted:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"the exact figures never reached {wanted} students")


async def public_view(client: httpx.AsyncClient) -> dict[str, Any]:
    """Everything public about the programme: counters (shares, targets), breakdowns, the CSV report."""
    counters = (await client.get("/v1/programme/counters")).json()
    breakdowns = {
        by: (await client.get("/v1/programme/breakdowns", params={"by": by})).json()["rows"]
        for by in BREAKDOWNS
    }
    report = await client.get("/v1/programme/report", params={"format": "csv"})
    assert report.status_code == 200, report.text
    return {
        "counters": counters,
        "breakdowns": breakdowns,
        "csv": list(csv.DictReader(io.StringIO(report.text))),
    }


def published_numbers(view: dict[str, Any]) -> dict[str, int]:
    """Every count the public can read, by where it is read."""
    counters = view["counters"]
    numbers = {
        name: counters[name]
        for name in ("trainees_trained", "students_reached", "events_delivered", "attendances", "leaders")
    }
    for population, dimensions in counters["shares"].items():
        for dimension, cells in dimensions.items():
            for category, share in cells.items():
                if share["count"] is not None:
                    numbers[f"share/{population}/{dimension}/{category}"] = share["count"]
    for by, rows in view["breakdowns"].items():
        for key, row in rows.items():
            for measure, value in row.items():
                if value is not None:
                    numbers[f"breakdown/{by}/{key}/{measure}"] = value
    for name, progress in counters["targets"].items():
        numbers[f"target/{name}"] = progress["actual"]
    for row in view["csv"]:
        if row["section"] != "disclosure" and row["measure"] != "percent" and row["value"].isdigit():
            numbers[f"csv/{row['section']}/{row['group']}/{row['category']}/{row['measure']}"] = int(
                row["value"]
            )
    return numbers


def derivable_small_counts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Counts from 1 to the threshold that subtraction yields: within a release, or between the two."""
    found = []
    old, new = published_numbers(before), published_numbers(after)
    for where, value in new.items():
        if 1 <= value <= THRESHOLD:
            found.append(f"{where} = {value}")
        if 1 <= abs(value - old.get(where, 0)) <= THRESHOLD:
            found.append(f"{where}: {old.get(where, 0)} -> {value}")
    counters = after["counters"]
    for population, dimensions in counters["shares"].items():
        for dimension, cells in dimensions.items():
            shown = sum(share["count"] or 0 for share in cells.values())
            if 1 <= abs(counters[population] - shown) <= THRESHOLD:
                found.append(f"{population} {counters[population]} against its {dimension} cells {shown}")
    for by, rows in after["breakdowns"].items():
        shown = sum(row.get("attendances") or 0 for row in rows.values())
        if 1 <= abs(counters["attendances"] - shown) <= THRESHOLD:
            found.append(f"attendances {counters['attendances']} against the {by} rows {shown}")
    return found


async def test_one_student_checking_in_cannot_be_derived_from_any_public_figure(
    platform: PrivatePlatform, client: httpx.AsyncClient
) -> None:
    _, key, (event_id,) = await new_partner(client, platform.admin_key, events=1)
    many = await register(
        client, key, [participant_body(role="student", gender="female", ethnicity="white") for _ in range(28)]
    )
    await attend(client, key, event_id, many)
    await exact_students(client, platform.admin_key, 28)
    await asyncio.sleep(2)  # a release decision (every half second) after the last change
    before = await public_view(client)

    [one] = await register(
        client, key, [participant_body(role="student", gender="non_binary", ethnicity="mixed")]
    )
    scanned = await client.post(
        f"/v1/events/{event_id}/checkins", json=checkin_body(one), headers=bearer(key)
    )
    assert scanned.status_code == 201, scanned.text
    await exact_students(client, platform.admin_key, 29)
    await asyncio.sleep(2)
    after = await public_view(client)

    assert derivable_small_counts(before, before) == []
    assert derivable_small_counts(before, after) == []
    assert (before["counters"]["students_reached"], after["counters"]["students_reached"]) == (30, 30)
    assert after["counters"]["shares"]["students_reached"]["gender"]["non_binary"]["count"] == 0
    assert after["counters"]["shares"]["students_reached"]["ethnicity"]["mixed"]["count"] == 0
    assert "rounded to the nearest 5" in after["csv"][0]["value"]
    # Releases do happen: four more students make 33, shown as 35
    more = await register(client, key, [participant_body(role="student") for _ in range(4)])
    await attend(client, key, event_id, more)
    await exact_students(client, platform.admin_key, 33)
    for _ in range(60):
        later = await public_view(client)
        if later["counters"]["students_reached"] == 35:
            break
        await asyncio.sleep(0.5)
    assert later["counters"]["students_reached"] == 35
    assert derivable_small_counts(after, later) == []


def files_holding(folder: Path, *secrets: str) -> list[str]:
    return sorted(
        f"{path.relative_to(folder)} holds {secret!r}"
        for path in folder.rglob("*")
        if path.is_file()
        for secret in secrets
        if secret.encode() in path.read_bytes()
    )


async def wait_until_events_knows_of_the_erasure(platform: PrivatePlatform, participant_id: str) -> None:
    """The participants consumer of one events instance records the erasure in the events database."""
    database = f"{platform.env['PULSE_MONGO_DB_PREFIX']}events"
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.env["MONGO_URL"])
    try:
        for _ in range(120):
            if await mongo[database]["participants"].count_documents({"_id": participant_id, "erased": True}):
                return
            await asyncio.sleep(0.5)
    finally:
        await mongo.close()
    raise AssertionError("the events service never learnt of the erasure")


async def test_an_erased_participant_is_refused_and_left_in_no_file(
    platform: PrivatePlatform, client: httpx.AsyncClient
) -> None:
    tag = uuid.uuid4().hex[:8]
    name, email = f"Eraseme{tag}", f"eraseme.{tag}@privacy-probe.example"
    _, key, (first, second) = await new_partner(client, platform.admin_key, events=2)
    [pid] = await register(client, key, [participant_body(given_name=name, email=email)])
    token = (await client.get(f"/v1/participants/{pid}/qr", headers=bearer(key))).json()["token"]
    scanned = await client.post(
        f"/v1/events/{first}/checkins", json=checkin_body(qr_token=token), headers=bearer(key)
    )
    assert scanned.status_code == 201, scanned.text
    state = platform.layout.state_dir
    assert files_holding(state / "ferretdb", name), "the name is stored before the erasure"

    erased = await client.delete(f"/v1/participants/{pid}", headers=bearer(key))
    assert erased.status_code == 204
    await wait_until_events_knows_of_the_erasure(platform, pid)

    by_token = await client.post(
        f"/v1/events/{second}/checkins", json=checkin_body(qr_token=token), headers=bearer(key)
    )
    by_id = await client.post(f"/v1/events/{second}/checkins", json=checkin_body(pid), headers=bearer(key))
    batch = await client.post(
        "/v1/attendance:batch", json=batch_body([attendance_record(second, pid)]), headers=bearer(key)
    )
    for refused in (by_token, by_id):
        assert refused.status_code == 410, refused.text
        assert refused.json()["type"] == "/problems/participant-erased"
    assert batch.json()["results"][0]["error"]["status"] == 410

    topics = Topics(prefix=platform.env["PULSE_TOPIC_PREFIX"])
    await asyncio.sleep(3)  # anything the outbox relays would publish is out by now
    attendance = await read_to_end(platform.env["KAFKA_BOOTSTRAP"], topics.attendance)
    assert {e["data"]["event_id"] for e in attendance if e["data"]["participant_id"] == pid} == {first}

    left: list[str] = []
    for _ in range(60):  # the erasure's own write and the outbox's clearing settle within seconds
        left = files_holding(state, name, email)
        if not left:
            break
        await asyncio.sleep(0.5)
    assert left == []
    loose = [
        str(path.relative_to(state))
        for part in ("ferretdb", "kafka", "services")
        for path in [state / part, *(state / part).rglob("*")]
        if stat.S_IMODE(path.stat().st_mode) & 0o077
    ]
    assert loose == [], "files readable by other users"


SPECIAL = ("self_described", "other")  # categories only the erasure test uses in this module
SEALED = ("organisation_id", "gender", "ethnicity", "nation", "region")


async def exact_share_once(
    client: httpx.AsyncClient, admin_key: str, category: str, count: int
) -> dict[str, Any]:
    """The exact figures once the students' gender share of `category` is `count`."""
    for _ in range(120):
        figures = await admin_counters(client, admin_key)
        shares = figures.get("shares", {}).get("students_reached", {})
        if shares.get("gender", {}).get(category, {}).get("count") == count:
            return figures
        await asyncio.sleep(0.5)
    raise AssertionError(f"the exact {category} share never reached {count}")


async def public_share_once(client: httpx.AsyncClient, category: str, count: int) -> dict[str, Any]:
    """The public students' shares once their gender share of `category` is `count`."""
    for _ in range(120):
        shares = (await client.get("/v1/programme/counters")).json()["shares"]["students_reached"]
        if shares["gender"][category]["count"] == count:
            return dict(shares)
        await asyncio.sleep(0.5)
    raise AssertionError(f"the public {category} share never reached {count}")


async def topic_records(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of the topic as a plain consumer reads it now, tombstones included."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            await consumer._client.force_metadata_update()
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            records: list[ConsumerRecord[bytes, bytes]] = []
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                batch = await consumer.getmany(timeout_ms=500)
                records.extend(r for part in batch.values() for r in part)
        return records
    finally:
        await consumer.stop()


async def metrics_blobs_holding(platform: PrivatePlatform, keys: list[bytes]) -> list[str]:
    """The stored segments and snapshots of metrics (decompressed) that hold any of these keys."""
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.env["MONGO_URL"])
    try:
        db = mongo[f"{platform.env['PULSE_MONGO_DB_PREFIX']}metrics"]
        blobs = {d["_id"]: bytes(d["facts"]) async for d in db["fact_segments"].find()}
        chunks = await db["partition_snapshots"].find().sort("index").to_list()
        for snapshot in {c["snapshot"] for c in chunks}:
            blobs[snapshot] = b"".join(bytes(c["blob"]) for c in chunks if c["snapshot"] == snapshot)
    finally:
        await mongo.close()
    return sorted(name for name, blob in blobs.items() if any(k in zlib.decompress(blob) for k in keys))


async def registration_keys_of(platform: PrivatePlatform, participant_ids: list[str]) -> list[str]:
    """Participants of these whose registration document still holds a data key."""
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.env["MONGO_URL"])
    try:
        db = mongo[f"{platform.env['PULSE_MONGO_DB_PREFIX']}registration"]
        query = {"_id": {"$in": participant_ids}, "data_key": {"$exists": True}}
        return [d["_id"] async for d in db["participants"].find(query, {"_id": 1})]
    finally:
        await mongo.close()


def metrics_settings(platform: PrivatePlatform) -> MetricsSettings:
    """The settings of the platform's metrics service, for a rebuild beside it."""
    env = env_for("metrics", platform.env)
    return MetricsSettings.model_validate(
        {name.removeprefix("PULSE_").lower(): value for name, value in env.items()}
    )


async def test_an_erased_participants_categories_leave_kafka_and_every_share(
    platform: PrivatePlatform, client: httpx.AsyncClient
) -> None:
    _, key, (event_id,) = await new_partner(client, platform.admin_key, events=1)
    gender, ethnicity = SPECIAL
    erased = await register(
        client, key, [participant_body(role="student", gender=gender, ethnicity=ethnicity) for _ in range(5)]
    )
    kept = await register(client, key, [participant_body(role="student") for _ in range(5)])
    await attend(client, key, event_id, erased + kept)
    before = await exact_share_once(client, platform.admin_key, gender, 5)
    assert (await public_share_once(client, gender, 5))["ethnicity"][ethnicity]["count"] == 5
    topics = Topics(prefix=platform.env["PULSE_TOPIC_PREFIX"])
    bootstrap = platform.env["KAFKA_BOOTSTRAP"]
    their_keys = [
        key_bytes(json.loads(r.value)["data"]["key"])
        for r in await topic_records(bootstrap, topics.participant_keys)
        if r.key is not None and r.key.decode() in erased and r.value is not None
    ]
    assert len(their_keys) == 5
    assert await metrics_blobs_holding(platform, their_keys), "metrics stores the keys it opens with"

    for pid in erased:
        answer = await client.delete(f"/v1/participants/{pid}", headers=bearer(key))
        assert answer.status_code == 204, answer.text

    after = await exact_share_once(client, platform.admin_key, gender, 0)
    assert after["students_reached"] == before["students_reached"]  # reach stays: they did attend
    assert after["attendances"] == before["attendances"]
    shares, was = after["shares"]["students_reached"], before["shares"]["students_reached"]
    assert shares["ethnicity"][ethnicity]["count"] == 0
    for dimension in ("gender", "ethnicity", "ethnic_minority"):
        assert shares[dimension]["not_disclosed"]["count"] == was[dimension]["not_disclosed"]["count"] + 5
    # The next public release (after one more attendance) counts them nowhere either
    [late] = await register(client, key, [participant_body(role="student")])
    await attend(client, key, event_id, [late])
    assert (await public_share_once(client, gender, 0))["ethnicity"][ethnicity]["count"] == 0

    stored: list[str] = []
    for _ in range(60):  # each partition is compacted at the next check after the erasure: no key left
        stored = await metrics_blobs_holding(platform, their_keys)
        if not stored:
            break
        await asyncio.sleep(0.5)
    assert stored == [], "metrics' stored state keeps an erased participant's key"
    assert await registration_keys_of(platform, erased) == []
    facts = [
        json.loads(r.value)
        for r in await topic_records(bootstrap, topics.participants)
        if r.key is not None and r.key.decode() in erased
    ]
    assert {f["type"] for f in facts} == {PARTICIPANT_REGISTERED, PARTICIPANT_ERASED}
    for fact in facts:  # never in clear, in any of their events
        assert all(fact["data"].get(name) is None for name in SEALED)
        assert gender not in json.dumps(fact)
        assert ethnicity not in json.dumps(fact)
    sealed = [f["data"] for f in facts if f["type"] == PARTICIPANT_REGISTERED]
    assert len(sealed) == 5
    assert all(data["sealed"] for data in sealed)

    erased_ids = {pid.encode() for pid in erased}
    left: list[ConsumerRecord[bytes, bytes]] = []
    for _ in range(120):  # the log cleaner removes the keys once their segments close (every second)
        records = await topic_records(bootstrap, topics.participant_keys)
        left = [r for r in records if r.key in erased_ids and r.value is not None]
        if not left:
            break
        await asyncio.sleep(0.5)
    assert left == [], "an erased participant's key is still on the keys topic"
    keys = {r.key: r.value for r in records if r.value is not None}
    assert {pid.encode() for pid in kept} <= set(keys), "the keys of those not erased stay"
    for data in sealed:  # and none of them opens an erased participant's sealed fields
        for value in keys.values():
            candidate = key_bytes(json.loads(value)["data"]["key"])
            with pytest.raises(Unsealable):
                unseal(candidate, data["participant_id"], data["version"], data["sealed"])

    live = ProgrammeFigures.model_validate(await admin_counters(client, platform.admin_key))
    rebuilt = await rebuild(metrics_settings(platform))
    assert rebuilt[live.programme_id].model_copy(update={"updated_at": None}) == live.model_copy(
        update={"updated_at": None}
    )
