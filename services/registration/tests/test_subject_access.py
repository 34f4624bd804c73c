"""Subject access: a participant's partner (or an admin) exports everything registration holds about them."""

from __future__ import annotations

import httpx
import pytest
from testkit.registration_bodies import admin_headers, participant_body, partner_headers
from testkit.registration_harness import new_partner

pytestmark = pytest.mark.integration


async def test_the_export_holds_every_personal_field_with_the_consent_and_its_time(
    api: httpx.AsyncClient, partner: str
) -> None:
    body = participant_body(given_name="Ada", family_name="Lovelace", email="ada@example.org")
    created = (await api.post("/v1/participants", json=body, headers=partner_headers(partner))).json()

    export = await api.get(f"/v1/participants/{created['id']}/export", headers=partner_headers(partner))

    assert export.status_code == 200
    held = export.json()
    assert held["status"] == "registered"
    for field in (
        "partner_ref",
        "given_name",
        "family_name",
        "email",
        "role",
        "gender",
        "ethnicity",
        "nation",
    ):
        assert held[field] == body[field], field
    assert held["consent"] == {**body["consent"], "recorded_at": created["consent"]["recorded_at"]}
    assert (held["partner_id"], held["programme_id"], held["version"]) == (partner, "resilience", 1)
    assert (held["created_at"], held["updated_at"]) == (created["created_at"], created["updated_at"])
    assert held["erased_at"] is None
    assert "no other service holds a name or an email" in held["elsewhere"]
    by_admin = await api.get(f"/v1/participants/{created['id']}/export", headers=admin_headers())
    assert {**by_admin.json(), "exported_at": None} == {**held, "exported_at": None}


async def test_another_partner_cannot_export_and_an_erased_participant_exports_what_is_left(
    api: httpx.AsyncClient, partner: str
) -> None:
    body = participant_body(given_name="Grace", family_name="Hopper", email="grace@example.org")
    pid = (await api.post("/v1/participants", json=body, headers=partner_headers(partner))).json()["id"]
    other = await new_partner(api)

    theirs = await api.get(f"/v1/participants/{pid}/export", headers=partner_headers(other))
    await api.delete(f"/v1/participants/{pid}", headers=partner_headers(partner))
    left = await api.get(f"/v1/participants/{pid}/export", headers=partner_headers(partner))

    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert left.status_code == 200
    held = left.json()
    assert (held["status"], held["id"], held["role"], held["version"]) == ("erased", pid, body["role"], 2)
    assert held["erased_at"] is not None
    for personal in ("Grace", "Hopper", "grace@example.org", body["partner_ref"]):
        assert personal not in left.text
    assert held["consent"] is None


async def test_the_export_is_in_the_openapi_document(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()
    operation = document["paths"]["/v1/participants/{participant_id}/export"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ParticipantExport"}
    assert "404" in operation["responses"]
    assert "consent" in document["components"]["schemas"]["ParticipantExport"]["properties"]
