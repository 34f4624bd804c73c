"""What an operator sees of the running platform: metrics on every service, one request followed into Kafka."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from testkit.ops_calls import json_lines, new_partner_key, register, samples, total

from pulse_local import platform

pytestmark = pytest.mark.e2e

Running = tuple[platform.Layout, dict[str, str]]


async def wait_for_log_line(layout: platform.Layout, service: str, request_id: str) -> dict[str, object]:
    """The first JSON log line of `service` that carries `request_id` and comes from a Kafka consumer."""
    log_file = layout.service_process(service).log_file
    for _ in range(150):
        for line in json_lines(log_file):
            if line.get("request_id") == request_id and line.get("logger") == "shared.kafka.consumer":
                return line
        await asyncio.sleep(0.2)
    raise AssertionError(f"no consumer log line with request id {request_id} in {log_file}")


async def test_a_request_id_given_to_the_gateway_reaches_the_events_consumers_log(
    running_platform: Running,
) -> None:
    layout, env = running_platform
    request_id = f"ops-trace-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=layout.url("gateway"), timeout=30) as client:
        key = await new_partner_key(client, env["PULSE_ADMIN_KEY"])
        created = await register(client, key, request_id)
    assert created.status_code == 201, created.text
    assert created.headers["x-request-id"] == request_id

    line = await wait_for_log_line(layout, "events", request_id)

    assert line["service"] == "events"
    assert "participant.registered" in str(line["message"])
    assert isinstance(line["ce_id"], str)
    assert line["ce_id"]


async def test_every_service_exports_its_traffic_kafka_mongo_and_outbox_metrics(
    running_platform: Running,
) -> None:
    layout, env = running_platform
    topics = f"{env['PULSE_TOPIC_PREFIX']}pulse."
    async with httpx.AsyncClient(base_url=layout.url("gateway"), timeout=30) as client:
        key = await new_partner_key(client, env["PULSE_ADMIN_KEY"])
        created = await register(client, key)
        assert created.status_code == 201, created.text
        await wait_for_log_line(layout, "events", created.headers["x-request-id"])
        exported = {
            service: (await client.get(f"{layout.url(service)}/metrics")).text
            for service in platform.SERVICES
        }

    gateway = exported["gateway"]
    # The gateway routes every /v1 path to the services through one catch-all route.
    assert total(gateway, "http_requests_total", handler="/v1/{rest:path}", status="2xx") >= 1
    assert total(gateway, "http_request_duration_seconds_count", handler="/v1/{rest:path}") >= 1

    registration = exported["registration"]
    assert total(registration, "http_requests_total", handler="/v1/participants", method="POST") >= 1
    assert total(registration, "pulse_mongo_command_seconds_count", command="insert", outcome="ok") >= 1
    assert total(registration, "pulse_kafka_produced_total", topic=f"{topics}participants") >= 1
    assert total(registration, "pulse_outbox_published_total") >= 1
    assert "pulse_outbox_backlog_age_seconds" in {name for name, _, _ in samples(registration)}

    events = exported["events"]
    assert total(events, "pulse_kafka_consumed_total", topic=f"{topics}participants") >= 1
    assert any(
        name == "pulse_kafka_consumer_lag" and labels.get("topic") == f"{topics}participants"
        for name, labels, _ in samples(events)
    )
    for service, text in exported.items():
        assert total(text, "pulse_mongo_command_seconds_count") >= 1, service
