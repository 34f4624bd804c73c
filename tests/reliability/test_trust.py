"""Services believe only principals the gateway signed for them: a forged, expired, misdirected or tampered
principal sent straight to a service is refused, while the same call through the gateway works."""

from __future__ import annotations

import time

import httpx
import pytest
from testkit.ops_calls import bearer
from testkit.private_platform import PrivatePlatform

from shared import signed_tokens
from shared.contracts.identity import Scope
from shared.http.identity import PRINCIPAL_HEADER
from shared.principal_tokens import PrincipalClaims

pytestmark = pytest.mark.e2e

# A call only an admin may make (or, for metrics, whose answer shows whether the caller was taken for one).
ADMIN_CALLS = {
    "registration": "/v1/partners",
    "events": "/v1/events?limit=1",
    "metrics": "/v1/programme/counters",
}


def _claims(audience: str, *, scope: Scope = Scope.ADMIN, age_s: int = 0) -> PrincipalClaims:
    issued = int(time.time()) - age_s
    return PrincipalClaims(aud=audience, scp=scope, kid="key_intruder", iat=issued, exp=issued + 60)


def untrusted_principals(audience: str, private_key: str) -> dict[str, str]:
    """Header values an intruder on the internal network might send, by what is wrong with them."""
    gateway_key = signed_tokens.load_private_key(private_key)
    other_key = signed_tokens.load_private_key(signed_tokens.generate_keypair()[0])
    partner = signed_tokens.sign(_claims(audience, scope=Scope.PARTNER), gateway_key)
    admin_body = signed_tokens.sign(_claims(audience), other_key).partition(".")[0]
    elsewhere = next(name for name in ADMIN_CALLS if name != audience)
    return {
        "unsigned": '{"scope": "admin", "key_id": "x"}',  # what services believed before they checked
        "forged": signed_tokens.sign(_claims(audience), other_key),
        "expired": signed_tokens.sign(_claims(audience, age_s=61), gateway_key),
        "wrong audience": signed_tokens.sign(_claims(elsewhere), gateway_key),
        "tampered": f"{admin_body}.{partner.partition('.')[2]}",  # a partner's signature under admin claims
    }


@pytest.mark.parametrize("service", list(ADMIN_CALLS))
async def test_a_service_refuses_principals_the_gateway_did_not_sign_for_it(
    services_platform: PrivatePlatform, service: str
) -> None:
    path = ADMIN_CALLS[service]
    gateway_key = services_platform.env["PULSE_PRINCIPAL_PRIVATE_KEY"]
    async with httpx.AsyncClient(base_url=services_platform.layout.url(service), timeout=30) as direct:
        refused = {
            why: await direct.get(path, headers={PRINCIPAL_HEADER: value})
            for why, value in untrusted_principals(service, gateway_key).items()
        }
        signed = signed_tokens.sign(_claims(service), signed_tokens.load_private_key(gateway_key))
        genuine = await direct.get(path, headers={PRINCIPAL_HEADER: signed})
    async with httpx.AsyncClient(base_url=services_platform.gateway_url, timeout=30) as gateway:
        through_gateway = await gateway.get(path, headers=bearer(services_platform.admin_key))

    assert {why: r.status_code for why, r in refused.items()} == dict.fromkeys(refused, 401)
    for response in refused.values():
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/untrusted-principal"
    assert genuine.status_code == 200, genuine.text  # what is refused above is the principal, nothing else
    assert through_gateway.status_code == 200, through_gateway.text
    if service == "metrics":  # the admin's exact figures, where the public gets disclosure-controlled ones
        assert through_gateway.json()["disclosure_controlled"] is False


async def test_no_principal_is_the_public(services_platform: PrivatePlatform) -> None:
    async with httpx.AsyncClient(base_url=services_platform.layout.url("metrics"), timeout=30) as direct:
        public = await direct.get("/v1/programme/counters")
    async with httpx.AsyncClient(base_url=services_platform.layout.url("registration"), timeout=30) as direct:
        anonymous = await direct.get("/v1/partners")
    assert public.status_code == 200
    assert public.json()["disclosure_controlled"] is True
    assert anonymous.status_code == 401
