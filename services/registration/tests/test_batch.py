"""Batch registration against the real database and broker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from testkit.registration_bodies import participant_body, partner_headers
from testkit.registration_harness import new_partner, published, running, stored_participants

from registration.config import RegistrationSettings

pytestmark = pytest.mark.integration


async def test_one_bad_item_never_sinks_the_rest_and_a_retried_batch_keeps_its_ids(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = partner_headers(partner)
    items = [
        participant_body(),
        participant_body(role="astronaut"),
        {"partner_ref": "x"},
        participant_body(consent={"data_processing": True, "demographics": False}),
        participant_body(organisation_id="org_missing"),
        42,
        participant_body(),
    ]

    first = await api.post("/v1/participants:batch", json={"participants": items}, headers=headers)
    retry = await api.post("/v1/participants:batch", json={"participants": items}, headers=headers)

    assert first.status_code == 200
    results = first.json()["results"]
    assert [r["index"] for r in results] == list(range(len(items)))
    assert [r["status"] for r in results] == [
        "created",
        "error",
        "error",
        "error",
        "error",
        "error",
        "created",
    ]
    assert results[4]["error"]["title"] == "Unknown organisation"
    assert {e["loc"][0] for e in results[2]["error"]["errors"]} >= {"role", "email", "consent"}
    assert "nickname" not in str(results)  # errors never echo the input
    again = retry.json()["results"]
    assert [r["status"] for r in again if r["status"] != "error"] == ["unchanged", "unchanged"]
    assert [r.get("id") for r in again] == [r.get("id") for r in results]
    assert len(await stored_participants(settings)) == 2
    assert len(await published(settings, 2)) == 2  # the retry emitted nothing


async def test_a_partner_ref_repeated_in_a_batch_is_a_replay_of_its_first_item(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    body = participant_body(partner_ref="dup")
    items = [body, body, {**body, "given_name": "Augusta"}]

    response = await api.post(
        "/v1/participants:batch", json={"participants": items}, headers=partner_headers(partner)
    )

    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "unchanged", "updated"]
    assert len({r["id"] for r in results}) == 1
    [stored] = await stored_participants(settings)
    assert (stored["given_name"], stored["version"]) == ("Augusta", 2)
    events = await published(settings, 2)
    assert [(e["type"], e["data"]["version"]) for e in events] == [
        ("pulse.participant.registered.v1", 1),
        ("pulse.participant.updated.v1", 2),
    ]


async def test_a_batch_over_ten_thousand_is_refused_whole(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    bodies = [participant_body(partner_ref=f"bulk-{n}") for n in range(10_001)]

    response = await api.post(
        "/v1/participants:batch", json={"participants": bodies}, headers=partner_headers(partner)
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "10000" in response.json()["detail"]
    assert await stored_participants(settings) == []


async def test_a_batch_at_the_limit_is_accepted(make_settings: Callable[..., Any]) -> None:
    settings: RegistrationSettings = make_settings(RegistrationSettings, max_batch_items=3)
    async with running(settings) as api:
        headers = partner_headers(await new_partner(api))
        bodies = [participant_body() for _ in range(4)]
        at_limit = await api.post(
            "/v1/participants:batch", json={"participants": bodies[:3]}, headers=headers
        )
        over = await api.post("/v1/participants:batch", json={"participants": bodies}, headers=headers)

    assert [r["status"] for r in at_limit.json()["results"]] == ["created"] * 3
    assert over.status_code == 413
    assert len(await stored_participants(settings)) == 3


async def test_a_batch_that_is_not_a_batch_is_a_problem(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = partner_headers(partner)
    for body in ({"participants": "all"}, {"participants": [], "extra": 1}, [participant_body()]):
        response = await api.post("/v1/participants:batch", json=body, headers=headers)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
    malformed = await api.post(
        "/v1/participants:batch",
        content=b'{"participants": [',
        headers={**headers, "content-type": "application/json"},
    )
    assert malformed.status_code == 400
    assert await stored_participants(settings) == []
