"""Request counts of callers that have no key document: the environment's admin key, client addresses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from gateway.repository.windows import USED, count_request
from shared.mongo.client import Document

EXPIRES_AT = "expires_at"


class RequestWindows:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._windows = db["request_windows"]

    async def ensure_indexes(self) -> None:
        await self._windows.create_index([(EXPIRES_AT, ASCENDING)], name="expires_at")

    async def forget_expired(self, now: datetime) -> int:
        """Delete counts whose window has passed, so addresses that never come back do not pile up.

        A sweep rather than a TTL index, which FerretDB v1 does not implement; every replica may run it.
        """
        deleted = await self._windows.delete_many({EXPIRES_AT: {"$lt": now}})
        return deleted.deleted_count

    async def count(self, name: str, window: int, length_s: float) -> int:
        """Count one request of `name` in `window` (of `length_s` seconds); this window's count after it."""
        ends_at = datetime.fromtimestamp((window + 1) * length_s, UTC)
        counted = await count_request(
            self._windows,
            {"_id": name},
            window,
            create=True,
            on_new_window={EXPIRES_AT: ends_at + timedelta(seconds=length_s)},
        )
        assert counted is not None  # created when missing
        used: int = counted[USED]
        return used
