"""Erasure removes personal data for good and tells the rest of the platform."""

from __future__ import annotations

import httpx
import pytest
from testkit.registration_bodies import participant_body, partner_headers
from testkit.registration_harness import published, stored_participants, wait_until_outbox_drained

from registration.config import RegistrationSettings

pytestmark = pytest.mark.integration


async def test_erasure_removes_personal_data_from_the_database_and_emits_one_event(
    api: httpx.AsyncClient, partner: str, settings: RegistrationSettings
) -> None:
    headers = partner_headers(partner)
    body = participant_body(given_name="Mary", family_name="Somerville", email="mary@example.org")
    participant_id = (await api.post("/v1/participants", json=body, headers=headers)).json()["id"]

    first = await api.delete(f"/v1/participants/{participant_id}", headers=headers)
    again = await api.delete(f"/v1/participants/{participant_id}", headers=headers)

    assert (first.status_code, again.status_code) == (204, 204)
    # The registered event still waiting in the outbox carries pseudonymous categories that metrics must
    # receive; once the relay has sent it, nothing personal is left on the document.
    await wait_until_outbox_drained(settings)
    [stored] = await stored_participants(settings)
    for personal in ("Mary", "Somerville", "mary@example.org", body["partner_ref"], "female", "London"):
        assert personal not in str(stored)
    assert stored["role"] == "trainee"
    assert stored["erased_at"] is not None
    read = await api.get(f"/v1/participants/{participant_id}", headers=headers)
    assert read.status_code == 410
    listed = await api.get("/v1/participants", headers=headers)
    assert listed.json()["items"] == []
    events = await published(settings, 2)
    assert [e["type"] for e in events] == [
        "pulse.participant.registered.v1",
        "pulse.participant.erased.v1",
    ]
    assert events[1]["data"] == {
        "participant_id": participant_id,
        "programme_id": "resilience",
        "partner_id": partner,
        "version": 2,
    }


async def test_registering_an_erased_partner_ref_again_is_a_new_participant(
    api: httpx.AsyncClient, partner: str
) -> None:
    headers = partner_headers(partner)
    body = participant_body()
    old_id = (await api.post("/v1/participants", json=body, headers=headers)).json()["id"]
    await api.delete(f"/v1/participants/{old_id}", headers=headers)

    again = await api.post("/v1/participants", json=body, headers=headers)

    assert again.status_code == 201
    assert again.json()["id"] != old_id
