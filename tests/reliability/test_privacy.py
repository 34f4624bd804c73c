"""Names and emails stay in the registration database: never in a log line or a Kafka message."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from testkit.events_bodies import checkin_body
from testkit.fault_traffic import new_partner
from testkit.ops_calls import bearer
from testkit.private_platform import PrivatePlatform
from testkit.registration_bodies import participant_body

from shared.contracts.topics import Topics

pytestmark = pytest.mark.e2e


async def every_message(bootstrap: str, topics: list[str]) -> list[bytes]:
    """Every record value of `topics`, from the beginning up to the end offsets as of now."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = [
                TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()
            ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        values: list[bytes] = []
        async with asyncio.timeout(60):
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                batch = await consumer.getmany(timeout_ms=500)
                values.extend(r.value for part in batch.values() for r in part if r.value is not None)
        return values
    finally:
        await consumer.stop()


async def test_no_name_or_email_in_logs_or_kafka(services_platform: PrivatePlatform) -> None:
    tag = uuid.uuid4().hex[:8]
    given, family, email = f"Zephyrine{tag}", f"Quillbottom{tag}", f"zq.{tag}@privacy-probe.example"
    async with httpx.AsyncClient(base_url=services_platform.gateway_url, timeout=30) as client:
        _, key, (event_id,) = await new_partner(client, services_platform.admin_key, events=1)
        one = await client.post(
            "/v1/participants",
            json=participant_body(given_name=given, family_name=family, email=email),
            headers=bearer(key),
        )
        assert one.status_code == 201, one.text
        batch = await client.post(
            "/v1/participants:batch",
            json={
                "participants": [participant_body(given_name=given, family_name=family, email=f"b{email}")]
            },
            headers=bearer(key),
        )
        assert batch.status_code == 200, batch.text
        pid = one.json()["id"]
        checked = await client.post(
            f"/v1/events/{event_id}/checkins", json=checkin_body(pid), headers=bearer(key)
        )
        assert checked.status_code == 201, checked.text
        # A refused body carrying the personal data must not echo it into a log either
        refused = await client.post(
            "/v1/participants",
            json=participant_body(given_name=given, email=email, role="astronaut"),
            headers=bearer(key),
        )
        assert refused.status_code == 422
        await asyncio.sleep(3)  # the outbox relays publish

    topics = Topics(prefix=services_platform.env["PULSE_TOPIC_PREFIX"])
    bootstrap = services_platform.env["KAFKA_BOOTSTRAP"]
    messages = await every_message(bootstrap, [topics.participants, topics.attendance, topics.events])
    logs = {
        path.name: path.read_text(errors="replace")
        for path in (services_platform.layout.state_dir / "services").glob("*.log")
    }
    secrets = (given, family, email, email.split("@")[0])
    print(
        f"\nprivacy: read {len(messages)} Kafka messages and {sum(len(t) for t in logs.values())} bytes of "
        f"logs from {sorted(logs)}"
    )
    assert any(pid.encode() in m for m in messages), "the participant's own events were not read"
    assert "POST /v1/participants" in logs["gateway.log"], "the gateway's log did not record the requests"
    for secret in secrets:
        assert not [m for m in messages if secret.encode() in m], f"{secret!r} is in a Kafka message"
        assert not [name for name, text in logs.items() if secret in text], f"{secret!r} is in a log"
