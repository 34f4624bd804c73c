"""The test run's principal key pair, and headers carrying a principal signed as the gateway signs it.

`use_in_environment()` (called by the root conftest) makes every service and gateway the run builds from
its settings trust this pair, so tests may call a service directly as the gateway would.
"""

from __future__ import annotations

import os

from shared.contracts.identity import Principal, Scope
from shared.http.identity import PRINCIPAL_HEADER
from shared.principal_tokens import PrincipalSigner
from shared.signed_tokens import generate_keypair

PRIVATE_KEY, PUBLIC_KEY = generate_keypair()
_SIGNER = PrincipalSigner(PRIVATE_KEY)


def use_in_environment() -> None:
    os.environ["PULSE_PRINCIPAL_PRIVATE_KEY"] = PRIVATE_KEY
    os.environ["PULSE_PRINCIPAL_PUBLIC_KEY"] = PUBLIC_KEY


def signed_for(audience: str, principal: Principal) -> dict[str, str]:
    """The header the gateway sends `audience` (registration, events or metrics) for `principal`."""
    return {PRINCIPAL_HEADER: _SIGNER.token(principal, audience)}


def admin_for(audience: str, key_id: str = "k-admin") -> dict[str, str]:
    return signed_for(audience, Principal(scope=Scope.ADMIN, key_id=key_id))
