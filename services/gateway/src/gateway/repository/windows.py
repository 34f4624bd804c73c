"""Requests counted in fixed windows on a MongoDB document, exactly across every gateway replica.

A document carries `window` (the current window's number) and `used` (requests counted in it). Most
requests cost one atomic `$inc`; the first of a new window also moves the document to that window with a
compare-and-set on the window it saw, so concurrent gateways count each request once (docs/architecture.md,
Security model). Counts for many documents go in one ordered write and one read (`count_many`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.mongo.client import Document
from shared.mongo.flavour import MongoFlavour

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


async def count_many(
    collection: AsyncCollection[Document],
    flavour: MongoFlavour,
    field: str,
    amounts: Mapping[str, int],
    window: int,
    behind: Collection[str],
) -> dict[str, Document]:
    """Count `amounts[value]` requests in `window` on the document whose `field` is `value`, for every value
    in one ordered write and one read (per slice the server takes); the documents after, by value (a value
    no document has is left out).

    The write adds each count to the window its document is in, never a past one: a document that may still
    be in one (its value in `behind`; the others were seen in `window` or later, and windows only move
    forward) is first moved to this window, from zero, so a window another gateway moves meanwhile loses
    no count. The read may include other gateways' counts made since.
    """
    writes: list[UpdateOne] = []
    for value, amount in amounts.items():
        if value in behind:
            writes.append(
                UpdateOne({field: value, WINDOW: {"$lt": window}}, {"$set": {WINDOW: window, USED: 0}})
            )
        writes.append(UpdateOne({field: value, WINDOW: {"$gte": window}}, {"$inc": {USED: amount}}))
    for in_slice in await flavour.slices(writes):  # in order, slice after slice: each move before its count
        await collection.bulk_write(in_slice, ordered=True)
    return {doc[field]: doc for doc in await flavour.find_in(collection, field, amounts)}


async def _increment(
    collection: AsyncCollection[Document], match: Document, amount: int, *, create: bool
) -> Document | None:
    return await collection.find_one_and_update(
        match, {"$inc": {USED: amount}}, upsert=create, return_document=ReturnDocument.AFTER
    )


def _window(document: Document) -> int:
    value: Any = document.get(WINDOW)
    return value if isinstance(value, int) else -1
