"""QR check-in tokens verify offline with the public key, and fail when tampered with."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from testkit.registration_bodies import participant_body, partner_headers
from testkit.registration_harness import new_partner, running

from registration.config import RegistrationSettings
from shared import qr_tokens

pytestmark = pytest.mark.integration


async def test_a_token_verifies_with_the_public_key_and_not_when_tampered_with(
    api: httpx.AsyncClient, partner: str, qr_keypair: tuple[str, str]
) -> None:
    headers = partner_headers(partner)
    participant = (await api.post("/v1/participants", json=participant_body(), headers=headers)).json()

    answer = (await api.get(f"/v1/participants/{participant['id']}/qr", headers=headers)).json()

    public = qr_tokens.load_public_key(qr_keypair[1])
    claims = qr_tokens.verify(answer["token"], public)
    assert (claims.pid, claims.prt, claims.prg) == (participant["id"], partner, "resilience")
    assert answer["participant_id"] == participant["id"]
    body, _, signature = answer["token"].partition(".")
    flipped = signature[:10] + ("B" if signature[10] == "A" else "A") + signature[11:]
    # The last character's low bits are spare in base64: a second spelling of the same signature.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    respelled = signature[:-1] + alphabet[alphabet.index(signature[-1]) ^ 1]
    forged = qr_tokens.QrClaims(pid="par_someone_else", prt=partner, prg="resilience", exp=claims.exp)
    forged_body = qr_tokens.sign(forged, qr_tokens.load_private_key(qr_tokens.generate_keypair()[0]))
    for tampered in (
        f"{forged_body.partition('.')[0]}.{signature}",
        f"{body}.{flipped}",
        f"{body}.{respelled}",
        forged_body,
    ):
        with pytest.raises(qr_tokens.InvalidToken):
            qr_tokens.verify(tampered, public)


async def test_the_qr_code_comes_as_svg_or_png(api: httpx.AsyncClient, partner: str) -> None:
    headers = partner_headers(partner)
    participant = (await api.post("/v1/participants", json=participant_body(), headers=headers)).json()
    path = f"/v1/participants/{participant['id']}/qr"

    svg = await api.get(path, params={"format": "svg"}, headers=headers)
    png = await api.get(path, params={"format": "png"}, headers=headers)
    other = await api.get(path, params={"format": "gif"}, headers=headers)

    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert other.status_code == 422


async def test_without_a_signing_key_the_qr_route_says_so(make_settings: Callable[..., Any]) -> None:
    settings: RegistrationSettings = make_settings(RegistrationSettings, qr_private_key="")
    async with running(settings) as api:
        partner = await new_partner(api)
        headers = partner_headers(partner)
        participant = (await api.post("/v1/participants", json=participant_body(), headers=headers)).json()

        response = await api.get(f"/v1/participants/{participant['id']}/qr", headers=headers)

    assert response.status_code == 503
    assert response.json()["title"] == "QR signing not configured"
