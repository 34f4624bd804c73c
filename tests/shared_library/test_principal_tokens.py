"""Principal tokens: signed once per principal and service, verified once per token, never past expiry;
and no service starts without the key it needs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from events.app import create_app as events_app
from gateway.app import create_app as gateway_app
from metrics.app import create_app as metrics_app
from registration.app import create_app as registration_app
from shared.contracts.identity import Principal, Scope
from shared.principal_tokens import REUSE_UNTIL_LEFT_S, TOKEN_TTL_S, PrincipalSigner, PrincipalVerifier
from shared.signed_tokens import InvalidToken, generate_keypair

PARTNER = Principal(scope=Scope.PARTNER, key_id="key_1", partner_id="par_1")


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_gateway_reuses_a_token_until_it_nears_expiry() -> None:
    clock = Clock()
    signer = PrincipalSigner(generate_keypair()[0], clock=clock)
    first = signer.token(PARTNER, "events")
    assert signer.token(PARTNER, "events") == first
    assert signer.token(PARTNER, "metrics") != first  # one per audience
    clock.now += TOKEN_TTL_S - REUSE_UNTIL_LEFT_S
    assert signer.token(PARTNER, "events") != first


def test_a_verified_token_is_remembered_but_not_past_its_expiry() -> None:
    clock = Clock()
    private, public = generate_keypair()
    token = PrincipalSigner(private, clock=clock).token(PARTNER, "events")
    verifier = PrincipalVerifier(public, audience="events", clock=clock)
    assert verifier.principal(token) == PARTNER
    clock.now += TOKEN_TTL_S - 1
    assert verifier.principal(token) == PARTNER  # from the cache
    clock.now += 1
    with pytest.raises(InvalidToken):
        verifier.principal(token)
    with pytest.raises(InvalidToken):
        PrincipalVerifier(public, audience="metrics", clock=clock).principal(token)


def test_while_rotating_services_accept_the_old_and_the_new_key() -> None:
    old, new = generate_keypair(), generate_keypair()
    verifier = PrincipalVerifier(f"{new[1]},{old[1]}", audience="events")
    for private, _ in (old, new):
        assert verifier.principal(PrincipalSigner(private).token(PARTNER, "events")) == PARTNER
    with pytest.raises(InvalidToken):
        verifier.principal(PrincipalSigner(generate_keypair()[0]).token(PARTNER, "events"))


@pytest.mark.parametrize(
    ("create_app", "variable"),
    [
        (registration_app, "PULSE_PRINCIPAL_PUBLIC_KEY"),
        (events_app, "PULSE_PRINCIPAL_PUBLIC_KEY"),
        (metrics_app, "PULSE_PRINCIPAL_PUBLIC_KEY"),
        (gateway_app, "PULSE_PRINCIPAL_PRIVATE_KEY"),
    ],
)
def test_no_service_starts_without_its_principal_key(
    create_app: Callable[[], FastAPI], variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_ADMIN_KEY", "a-long-enough-admin-key-for-the-gateway")
    monkeypatch.delenv(variable)
    with pytest.raises(SystemExit) as refused:
        create_app()
    message = str(refused.value.code)
    assert variable in message
    assert "\n" not in message
