"""Single registration against the real database and broker: idempotence, validation, organisations."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from testkit.kafka_reading import read_exactly
from testkit.registration_bodies import (
    admin_headers,
    participant_body,
    partner_headers,
    without_demographics,
)
from testkit.registration_harness import new_partner, published, stored_participants

from registration.config import RegistrationSettings
from shared.contracts.payloads import SealedFields
from shared.contracts.vocabulary import Gender, Nation
from shared.sealing import key_bytes, unseal

pytestmark = pytest.mark.integration


async def test_a_replayed_registration_keeps_its_id_and_a_changed_one_updates_it(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = partner_headers(partner)
    body = participant_body(email="  Ada.Lovelace@EXAMPLE.AC.UK ")

    first = await api.post("/v1/participants", json=body, headers=headers)
    replay = await api.post("/v1/participants", json=body, headers=headers)
    changed = await api.post("/v1/participants", json={**body, "family_name": "King"}, headers=headers)

    assert (first.status_code, first.json()["status"]) == (201, "created")
    assert (replay.status_code, replay.json()["status"]) == (200, "unchanged")
    assert (changed.status_code, changed.json()["status"]) == (200, "updated")
    assert first.json()["id"] == replay.json()["id"] == changed.json()["id"]
    assert first.json()["email"] == "Ada.Lovelace@example.ac.uk"
    read = (await api.get(f"/v1/participants/{first.json()['id']}", headers=headers)).json()
    assert (read["family_name"], read["version"]) == ("King", 2)
    events = await published(settings, 2)  # the unchanged replay emits nothing
    assert [e["type"] for e in events] == [
        "pulse.participant.registered.v1",
        "pulse.participant.updated.v1",
    ]
    assert [e["data"]["version"] for e in events] == [1, 2]


async def test_events_carry_sealed_categories_and_consent_but_never_names_or_emails(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = partner_headers(partner)
    consenting = participant_body(given_name="Grace", family_name="Hopper")
    private = without_demographics(given_name="Alan", family_name="Turing")
    for body in (consenting, private):
        assert (await api.post("/v1/participants", json=body, headers=headers)).status_code == 201

    events = await published(settings, 2)

    raw = str(events)
    for secret in ("Grace", "Hopper", "Alan", "Turing", "@example"):
        assert secret not in raw
    for value in ("female", "white", "england"):
        assert value not in raw  # only sealed: special categories never travel in clear
    for event in events:
        assert all(event["data"].get(name) is None for name in SealedFields.model_fields)
    keys = {
        e["data"]["participant_id"]: key_bytes(e["data"]["key"])
        for e in await read_exactly(settings.kafka_bootstrap, settings.topics.participant_keys, 2)
    }
    by_consent = {e["data"]["consent_demographics"]: e["data"] for e in events}
    assert by_consent[True]["partner_id"] == partner
    opened = {
        consent: unseal(keys[data["participant_id"]], data["participant_id"], data["version"], data["sealed"])
        for consent, data in by_consent.items()
    }
    assert opened[True].gender is Gender.FEMALE
    assert opened[True].nation is Nation.ENGLAND
    assert opened[False].gender is None
    assert opened[False].ethnicity is None


def _bad_bodies() -> dict[str, dict[str, Any]]:
    return {
        "unknown field": participant_body(nickname="Addie"),
        "unknown consent field": participant_body(
            consent={"data_processing": True, "demographics": True, "marketing": True}
        ),
        "wrong role": participant_body(role="mentor"),
        "wrong gender": participant_body(gender="f"),
        "wrong ethnicity": participant_body(ethnicity="british"),
        "wrong nation": participant_body(nation="cornwall"),
        "demographics without consent": participant_body(
            consent={"data_processing": True, "demographics": False}
        ),
        "no data processing consent": without_demographics(
            consent={"data_processing": False, "demographics": False}
        ),
        "consent as a string": without_demographics(
            consent={"data_processing": "yes", "demographics": False}
        ),
        "leader without organisation": participant_body(role="leader"),
        "unknown organisation": participant_body(organisation_id="org_nothere"),
        "bad email": participant_body(email="not-an-email"),
        "empty name": participant_body(given_name="   "),
        "overlong name": participant_body(family_name="x" * 201),
        "overlong region": participant_body(region="x" * 101),
    }


@pytest.mark.parametrize("case", sorted(_bad_bodies()))
async def test_refused_registrations_are_problems_and_store_nothing(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings, case: str
) -> None:
    response = await api.post("/v1/participants", json=_bad_bodies()[case], headers=partner_headers(partner))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 422
    assert await stored_participants(settings) == []


async def test_malformed_json_is_a_400_problem_and_stores_nothing(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = {**partner_headers(partner), "content-type": "application/json"}
    response = await api.post("/v1/participants", content=b'{"partner_ref": "a",', headers=headers)

    assert response.status_code == 400
    assert response.json()["title"] == "Malformed JSON"
    assert await stored_participants(settings) == []


async def test_only_partner_keys_register_and_only_admins_create_partners(
    api: httpx.AsyncClient, partner: str
) -> None:
    body = participant_body()
    assert (await api.post("/v1/participants", json=body)).status_code == 401
    assert (await api.post("/v1/participants", json=body, headers=admin_headers())).status_code == 403
    partner_post = await api.post("/v1/partners", json={"name": "Rogue"}, headers=partner_headers(partner))
    assert partner_post.status_code == 403


async def test_a_leader_registers_with_an_organisation_that_two_partners_share(
    api: httpx.AsyncClient, partner: str
) -> None:
    other = await new_partner(api, "Teesside")
    first = await api.post(
        "/v1/organisations",
        json={"name": "Acme  Engineering", "kind": "employer"},
        headers=partner_headers(partner),
    )
    second = await api.post(
        "/v1/organisations",
        json={"name": "acme engineering ", "kind": "employer"},
        headers=partner_headers(other),
    )
    assert (first.status_code, second.status_code) == (201, 200)
    org_id = first.json()["id"]
    assert second.json()["id"] == org_id

    leader = participant_body(role="leader", organisation_id=org_id)
    registered = await api.post("/v1/participants", json=leader, headers=partner_headers(other))
    assert registered.status_code == 201
    assert registered.json()["organisation_id"] == org_id

    listed = await api.get(
        "/v1/organisations",
        params={"kind": "employer", "name": "ACME"},
        headers=partner_headers(partner),
    )
    assert [o["id"] for o in listed.json()["items"]] == [org_id]
    schools = await api.get("/v1/organisations", params={"kind": "school"}, headers=partner_headers(partner))
    assert schools.json()["items"] == []
