"""The caller's identity: the principal the gateway signed for this service, in one header.

A service believes only a token the gateway signed for it (its audience) that has not expired; no header
means the public (docs/architecture.md, Security model).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from shared.contracts.identity import PUBLIC, Principal, Scope
from shared.http.problems import ProblemError
from shared.principal_tokens import PrincipalVerifier
from shared.signed_tokens import InvalidToken

PRINCIPAL_HEADER = "x-pulse-principal"


# async although nothing is awaited: FastAPI runs a plain def dependency in a worker thread.
async def principal_from_header(
    request: Request,
    x_pulse_principal: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    if not x_pulse_principal:
        return PUBLIC
    verifier: PrincipalVerifier | None = request.app.state.principals
    try:
        if verifier is None:  # an app that trusts no one
            raise InvalidToken("no key to verify principals with")
        return verifier.principal(x_pulse_principal)
    except InvalidToken as exc:
        raise ProblemError(
            401,
            "Untrusted principal",
            "The forwarded principal is not one the gateway signed for this service, or it has expired.",
            type_="untrusted-principal",
        ) from exc


CallerDep = Annotated[Principal, Depends(principal_from_header)]


def require_scope(principal: Principal, *scopes: Scope) -> None:
    """Refuse with 401 for the public and 403 for a key outside the given scopes."""
    if principal.scope in scopes:
        return
    if principal.scope is Scope.PUBLIC:
        raise ProblemError(
            401, "Authentication required", "Send an API key as 'Authorization: Bearer <key>'."
        )
    raise ProblemError(403, "Forbidden", "This key's scope does not allow this operation.")
