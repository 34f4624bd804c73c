"""A partner key reaches only its own participants; to it, another partner's do not exist."""

from __future__ import annotations

import httpx
import pytest
from testkit.registration_bodies import admin_headers, participant_body, partner_headers
from testkit.registration_harness import new_partner

pytestmark = pytest.mark.integration


async def test_another_partners_participant_answers_404_everywhere(
    api: httpx.AsyncClient, partner: str
) -> None:
    intruder = await new_partner(api, "Heriot-Watt")
    body = participant_body(partner_ref="shared-ref")
    owned = (await api.post("/v1/participants", json=body, headers=partner_headers(partner))).json()
    path = f"/v1/participants/{owned['id']}"
    theirs = partner_headers(intruder)

    assert (await api.get(path, headers=theirs)).status_code == 404
    assert (await api.get(f"{path}/qr", headers=theirs)).status_code == 404
    assert (await api.delete(path, headers=theirs)).status_code == 404
    listed = await api.get("/v1/participants", headers=theirs)
    assert listed.json()["items"] == []
    # The same partner_ref under another partner is another person, never an update of this one.
    own = await api.post("/v1/participants", json={**body, "given_name": "Other"}, headers=theirs)
    assert own.status_code == 201
    assert own.json()["id"] != owned["id"]
    still = await api.get(path, headers=partner_headers(partner))
    assert (still.status_code, still.json()["given_name"]) == (200, "Ada")
    everyone = await api.get("/v1/participants", headers=admin_headers())
    assert len(everyone.json()["items"]) == 2


async def test_a_partner_reads_itself_but_not_another_partner(api: httpx.AsyncClient, partner: str) -> None:
    other = await new_partner(api, "Teesside")
    assert (await api.get(f"/v1/partners/{partner}", headers=partner_headers(partner))).status_code == 200
    assert (await api.get(f"/v1/partners/{other}", headers=partner_headers(partner))).status_code == 404
    assert (await api.get(f"/v1/partners/{other}", headers=admin_headers())).json()["name"] == "Teesside"
    assert (await api.get("/v1/partners/prt_none", headers=admin_headers())).status_code == 404


async def test_listing_pages_through_a_partners_participants_with_a_cursor(
    api: httpx.AsyncClient, partner: str
) -> None:
    headers = partner_headers(partner)
    items = [participant_body() for _ in range(5)]
    await api.post("/v1/participants:batch", json={"participants": items}, headers=headers)

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/v1/participants", params=params, headers=headers)).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) == 5
