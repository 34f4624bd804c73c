"""The caller's identity, established by the gateway and forwarded to services in one header.

Services trust this header only because they listen on the internal network alone (DESIGN.md, Security).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from pydantic import ValidationError

from shared.contracts.identity import PUBLIC, Principal, Scope
from shared.http.problems import ProblemError

PRINCIPAL_HEADER = "x-pulse-principal"


# async although nothing is awaited: FastAPI runs a plain def dependency in a worker thread.
async def principal_from_header(
    x_pulse_principal: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    if not x_pulse_principal:
        return PUBLIC
    try:
        return Principal.model_validate_json(x_pulse_principal)
    except ValidationError as exc:
        raise ProblemError(400, "Bad identity header", "The forwarded identity is malformed.") from exc


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
