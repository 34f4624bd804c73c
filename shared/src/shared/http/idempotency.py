"""The ids a service gives what a request creates, derived from the request's Idempotency-Key.

The gateway replays the first answer to a retried write (docs/api.md, Retrying writes). Where that answer
never arrived (a timeout, a service or gateway gone mid-request), the retry runs the write again, and an
id derived from (caller, key, request) makes it find what the first run created instead of creating
it twice.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated

from fastapi import Depends, Header
from pydantic import BaseModel

from shared.contracts.identity import Principal

_NAMESPACE = uuid.UUID("5b0d1f6e-8c53-4a4f-9a52-0c0e7d3f1a27")


async def idempotency_key(
    idempotency_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str | None:
    return idempotency_key


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]


def derived_id(caller: Principal, key: str | None, request: BaseModel) -> uuid.UUID | None:
    """The same id for the same caller, key and request; None without a key (the caller gets a random id)."""
    if key is None:
        return None
    digest = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
    return uuid.uuid5(_NAMESPACE, f"{caller.key_id}\n{key}\n{digest}")
