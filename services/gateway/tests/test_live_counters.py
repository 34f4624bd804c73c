"""Counters from real Kafka snapshots: JSON reads, and Server-Sent Events to many clients with resume."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from testkit.gateway_kit import ADMIN_KEY, CountersPublisher, ServerThread, bearer, snapshot

from gateway.app import create_app
from gateway.config import GatewaySettings

Served = tuple[ServerThread, CountersPublisher]


@pytest.fixture(scope="module")
async def served(gateway_settings: Callable[..., GatewaySettings]) -> AsyncIterator[Served]:
    settings = gateway_settings()
    publisher = CountersPublisher(settings)
    await publisher.start()
    try:
        with ServerThread(create_app(settings)) as server:
            yield server, publisher
    finally:
        await publisher.stop()


async def wait_for_seq(client: httpx.AsyncClient, seq: int) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            response = await client.get("/v1/programme/counters")
            if response.status_code == 200 and response.json()["seq"] >= seq:
                body: dict[str, Any] = response.json()
                return body
            await asyncio.sleep(0.2)


async def next_event(lines: AsyncIterator[str]) -> dict[str, str]:
    """The fields of the next event or comment block of an SSE stream."""
    fields: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if fields:
                return fields
            continue
        name, _, value = line.partition(":")
        fields[name or "comment"] = value.strip()
    raise AssertionError("stream ended")


async def test_counters_before_any_snapshot_are_unavailable(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    with ServerThread(create_app(gateway_settings())) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            response = await client.get("/v1/programme/counters")
    assert response.status_code == 503
    assert response.headers["retry-after"]


async def test_public_readers_get_controlled_figures_and_admins_exact_ones(served: Served) -> None:
    server, publisher = served
    await publisher.publish(snapshot(seq=1, trainees=12))
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        public = await wait_for_seq(client, 1)
        assert public["trainees_trained"] == 12
        assert public["disclosure_controlled"] is True
        assert public["breakdowns"]["partner"]["prt_tees"]["leaders"] is None
        exact = (await client.get("/v1/programme/counters", headers=bearer(ADMIN_KEY))).json()
        assert exact["breakdowns"]["partner"]["prt_tees"]["leaders"] == 3
        by_kind = (await client.get("/v1/programme/breakdowns", params={"by": "kind"})).json()
        assert by_kind["rows"]["accelerator"]["events_delivered"] is None
        assert by_kind["rows"]["training"]["trainees_trained"] == 12
        assert by_kind["names"] == {}
        by_partner = (await client.get("/v1/programme/breakdowns", params={"by": "partner"})).json()
        assert by_partner["names"]["prt_tees"] == "Teesside University"
        wrong = await client.get("/v1/programme/breakdowns", params={"by": "shoe_size"})
        assert wrong.status_code == 422
        bad_key = await client.get("/v1/programme/counters", headers=bearer("pk_wrong"))
        assert bad_key.status_code == 401
        other = await client.get("/v1/programme/counters", params={"programme_id": "another"})
        assert other.status_code == 404  # never heard of: not a "try again later"
        assert other.json()["type"] == "/problems/programme-not-found"
        malformed = await client.get("/v1/programme/counters", params={"programme_id": "Not/Ours"})
        assert malformed.status_code == 422
        assert malformed.json()["errors"][0]["loc"] == ["query", "programme_id"]


async def test_every_stream_client_sees_a_new_snapshot_and_resumes_from_its_last_id(served: Served) -> None:
    server, publisher = served
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        current = (await wait_for_seq(client, 1))["seq"]
        async with asyncio.timeout(60):
            streams = [
                client.stream("GET", "/v1/programme/counters/stream", headers=headers)
                for headers in ({}, {}, {}, bearer(ADMIN_KEY))
            ]
            responses = [await s.__aenter__() for s in streams]
            try:
                assert all(r.headers["content-type"].startswith("text/event-stream") for r in responses)
                lines = [r.aiter_lines() for r in responses]
                first = [await next_event(it) for it in lines]
                assert {e["id"] for e in first} == {str(current)}

                await publisher.publish(snapshot(seq=current + 1, trainees=99))
                pushed = await asyncio.gather(*(next_event(it) for it in lines))
                assert {e["id"] for e in pushed} == {str(current + 1)}
                public = [json.loads(e["data"]) for e in pushed[:3]]
                assert all(p["trainees_trained"] == 99 and p["disclosure_controlled"] for p in public)
                assert json.loads(pushed[3]["data"])["disclosure_controlled"] is False
            finally:
                for s in streams:
                    await s.__aexit__(None, None, None)

            behind = {"Last-Event-ID": str(current)}
            async with client.stream("GET", "/v1/programme/counters/stream", headers=behind) as resumed:
                event = await next_event(resumed.aiter_lines())
                assert event["id"] == str(current + 1)
                assert json.loads(event["data"])["trainees_trained"] == 99

            up_to_date = {"Last-Event-ID": str(current + 1)}
            async with client.stream("GET", "/v1/programme/counters/stream", headers=up_to_date) as resumed:
                event = await next_event(resumed.aiter_lines())
                assert event == {"comment": "connected", "retry": "3000"}

            # A gateway that has just restarted replays older snapshots than the client already has.
            ahead = {"Last-Event-ID": str(current + 5)}
            async with client.stream("GET", "/v1/programme/counters/stream", headers=ahead) as resumed:
                events = resumed.aiter_lines()
                assert (await next_event(events))["comment"] == "connected"
                await publisher.publish(snapshot(seq=current + 3, trainees=100))
                await wait_for_seq(client, current + 3)
                await publisher.publish(snapshot(seq=current + 6, trainees=101))
                assert (await next_event(events))["id"] == str(current + 6)

            # A superscript two ("\xb2" in latin-1) counts as a digit to str.isdigit but not to int().
            odd = {"Last-Event-ID": b"\xb2"}
            async with client.stream("GET", "/v1/programme/counters/stream", headers=odd) as resumed:
                assert resumed.status_code == 200
                assert (await next_event(resumed.aiter_lines()))["id"] == str(current + 6)


async def test_public_streams_get_only_new_public_releases_and_admins_every_snapshot(served: Served) -> None:
    server, publisher = served
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        base = (await wait_for_seq(client, 1))["seq"] + 100
        await publisher.publish(snapshot(seq=base, trainees=200, public_seq=base, public_trainees=200))
        await wait_for_seq(client, base)
        async with asyncio.timeout(60):
            public_stream = client.stream("GET", "/v1/programme/counters/stream")
            admin_stream = client.stream("GET", "/v1/programme/counters/stream", headers=bearer(ADMIN_KEY))
            public_response, admin_response = (
                await public_stream.__aenter__(),
                await admin_stream.__aenter__(),
            )
            try:
                public, admin = public_response.aiter_lines(), admin_response.aiter_lines()
                assert (await next_event(public))["id"] == (await next_event(admin))["id"] == str(base)

                # Exact figures move on while the public release stays: only the admin hears of it
                await publisher.publish(
                    snapshot(seq=base + 1, trainees=201, public_seq=base, public_trainees=200)
                )
                held = await next_event(admin)
                assert (held["id"], json.loads(held["data"])["trainees_trained"]) == (str(base + 1), 201)
                read = (await client.get("/v1/programme/counters")).json()
                assert (read["seq"], read["trainees_trained"]) == (base, 200)

                await publisher.publish(
                    snapshot(seq=base + 2, trainees=205, public_seq=base + 2, public_trainees=205)
                )
                released = await next_event(public)
                assert (released["id"], json.loads(released["data"])["trainees_trained"]) == (
                    str(base + 2),
                    205,
                )
                assert (await next_event(admin))["id"] == str(base + 2)
            finally:
                await public_stream.__aexit__(None, None, None)
                await admin_stream.__aexit__(None, None, None)


async def test_an_idle_stream_gets_keep_alives_and_is_let_go_when_its_client_leaves(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    settings = gateway_settings(sse_keepalive_s=0.2)
    publisher = CountersPublisher(settings)
    await publisher.start()
    try:
        app = create_app(settings)
        with ServerThread(app) as server:
            await publisher.publish(snapshot(seq=1, trainees=5))
            hub = app.state.context.hub
            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client, asyncio.timeout(30):
                await wait_for_seq(client, 1)
                async with client.stream("GET", "/v1/programme/counters/stream") as stream:
                    lines = stream.aiter_lines()
                    assert (await next_event(lines))["id"] == "1"
                    assert await next_event(lines) == {"comment": "ping"}
                    assert await next_event(lines) == {"comment": "ping"}
                    assert hub.subscriber_count == 1
                # Gone without a word: the gateway notices and stops following for it (in its own thread).
                while hub.subscriber_count:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
    finally:
        await publisher.stop()
