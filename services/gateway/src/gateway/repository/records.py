"""Webhook records (frozen dataclasses) as documents and back: `id` as `_id`, unknown fields ignored."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any, TypeVar

from shared.mongo.client import Document

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    R = TypeVar("R", bound=DataclassInstance)
else:
    R = TypeVar("R")


def to_document(record: DataclassInstance, **encoded: Any) -> Document:
    """The record's fields, `id` as `_id`, with `encoded` replacing fields stored in another form."""
    doc = asdict(record)
    doc["_id"] = doc.pop("id")
    doc.update(encoded)
    return doc


def from_document(kind: type[R], doc: Document, **decoded: Any) -> R:
    """The record of a document; `decoded` gives fields read back from another form. A field a newer
    version stored and this one does not know is left out, so instances of two versions can run together."""
    known = {f.name for f in fields(kind)} - {"id", *decoded}
    values = {k: v for k, v in doc.items() if k in known}
    return kind(**{"id": doc["_id"], **decoded, **values})
