"""Requests counted in fixed windows on a MongoDB document, exactly across every gateway replica.

A document carries `window` (the current window's number) and `used` (requests counted in it). Most
requests cost one atomic `$inc`; the first of a new window also moves the document to that window with a
compare-and-set on the window it saw, so concurrent gateways count each request once (docs/architecture.md,
Security model).
"""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.mongo.client import Document

WINDOW = "window"
_ATTEMPTS = 3  # another gateway moving the window between our two writes, twice, needs clocks far apart
USED = "used"


async def count_request(
    collection: AsyncCollection[Document],
    match: Document,
    window: int,
    *,
    create: bool = False,
    on_new_window: Document | None = None,
    amount: int = 1,
) -> Document | None:
    """Count `amount` requests in `window` on the document matching `match`; the document after, or None.

    `create` makes the document when none matches (`match` must then name its `_id`); `on_new_window`
    holds fields set when a window starts. The returned document's USED is this window's count, these
    requests included.
    """
    for _ in range(_ATTEMPTS):
        try:
            counted = await _increment(collection, match, amount, create=create)
        except DuplicateKeyError:  # another gateway created it at the same moment
            counted = await _increment(collection, match, amount, create=False)
        if counted is None or _window(counted) >= window:  # a gateway whose clock runs ahead may be first
            return counted
        # The increment went to a past window: start this one, unless another gateway just did.
        started = await collection.find_one_and_update(
            {**match, WINDOW: counted.get(WINDOW)},
            {"$set": {**(on_new_window or {}), WINDOW: window, USED: amount}},
            return_document=ReturnDocument.AFTER,
        )
        if started is not None:
            return started
    return counted


async def _increment(
    collection: AsyncCollection[Document], match: Document, amount: int, *, create: bool
) -> Document | None:
    return await collection.find_one_and_update(
        match, {"$inc": {USED: amount}}, upsert=create, return_document=ReturnDocument.AFTER
    )


def _window(document: Document) -> int:
    value: Any = document.get(WINDOW)
    return value if isinstance(value, int) else -1
