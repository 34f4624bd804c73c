"""Writes made safe to retry: the first answer to (caller, Idempotency-Key) is replayed, never re-applied."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from starlette.responses import Response

from gateway.domain.idempotency import (
    REPLAYED_HEADERS,
    Answer,
    Verdict,
    final,
    record_id,
    seal,
    unseal,
)
from gateway.repository.idempotency import IdempotencyStore
from shared.http.problems import ProblemError

log = logging.getLogger(__name__)

REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotentWrites:
    """Runs a write once per (caller, key) across every gateway instance, and replays its answer."""

    def __init__(self, store: IdempotencyStore, *, lease: timedelta, keep: timedelta) -> None:
        self.store = store
        self._lease = lease  # longer than any request may run in the gateway
        self._keep = keep

    async def run(
        self, *, caller: str, key: str, fingerprint: str, send: Callable[[], Awaitable[Response]]
    ) -> Response:
        rid, holder = record_id(caller, key), uuid.uuid4().hex
        decided, record = await self.store.claim(
            rid, fingerprint, holder, datetime.now(UTC), self._lease, self._keep
        )
        if decided is Verdict.MISMATCH:
            raise ProblemError(
                422,
                "Idempotency-Key reused",
                "This Idempotency-Key was sent with a different request; use a new key for a new request.",
                type_="idempotency-key-reused",
            )
        if decided is Verdict.IN_FLIGHT:
            raise ProblemError(
                409,
                "Request in progress",
                "A request with this Idempotency-Key is still in progress; retry shortly.",
                type_="idempotency-request-in-flight",
                headers={"Retry-After": "1"},
            )
        if decided is Verdict.REPLAY:
            assert record is not None
            assert record.answer is not None
            return _replayed(unseal(record.answer, caller, key))
        return await self._first_run(rid, holder, caller, key, send)

    async def _first_run(
        self, rid: str, holder: str, caller: str, key: str, send: Callable[[], Awaitable[Response]]
    ) -> Response:
        try:
            response = await send()
        except BaseException:
            await self.store.release(rid, holder)
            raise
        try:
            if final(response.status_code):
                await self.store.complete(rid, holder, seal(_answer_of(response), caller, key))
            else:
                await self.store.release(rid, holder)
        except Exception as exc:  # the answer stands; a retry after the lease runs the write again
            log.warning("could not keep the answer of an idempotent request: %s", exc)
        return response


def _answer_of(response: Response) -> Answer:
    headers = {name: value for name, value in response.headers.items() if name in REPLAYED_HEADERS}
    return Answer(response.status_code, headers, bytes(response.body))


def _replayed(answer: Answer) -> Response:
    return Response(
        answer.body, status_code=answer.status, headers={**answer.headers, REPLAYED_HEADER: "true"}
    )
