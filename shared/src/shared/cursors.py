"""Opaque page cursors: where the next page of a listing starts, as a token clients pass back unchanged.

A cursor carries the sort key of the last item served (base64url of a JSON list); clients must not read
it, so its content may change between releases. Filters are applied again on every page, so a forged
cursor can only skip within what the caller may see anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

MAX_CURSOR_LENGTH = 512
# What an issued cursor is made of; the query parameter is declared with it.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,512}$"


class BadCursor(ValueError):
    """The cursor is not one this API issued."""

    def __init__(self) -> None:
        super().__init__("cursor is not one this service issued")


def encode_cursor(*keys: str | datetime) -> str:
    """A cursor after the item whose sort key is `keys` (strings, or aware datetimes)."""
    raw = json.dumps([k.isoformat() if isinstance(k, datetime) else k for k in keys]).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, *kinds: type[str] | type[datetime]) -> list[str | datetime]:
    """The sort key a cursor holds, checked against the kinds of its parts; BadCursor otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
        raise BadCursor() from exc
    if not isinstance(parts, list) or len(parts) != len(kinds) or not all(isinstance(p, str) for p in parts):
        raise BadCursor()
    keys: list[str | datetime] = []
    for part, kind in zip(parts, kinds, strict=True):
        if kind is datetime:
            try:
                moment = datetime.fromisoformat(part)
            except ValueError as exc:
                raise BadCursor() from exc
            if moment.tzinfo is None:
                raise BadCursor()
            keys.append(moment)
        else:
            keys.append(part)
    return keys
