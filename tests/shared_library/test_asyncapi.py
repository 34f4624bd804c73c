"""docs/asyncapi.yaml is what the event models generate, and it covers every topic and every type."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import yaml

from shared.contracts import asyncapi
from shared.contracts.payloads import TOMBSTONE
from shared.contracts.registry import PAYLOAD_TYPES
from shared.contracts.topics import Topics
from shared.contracts.webhooks import WEBHOOK_PAYLOADS

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_the_committed_document_is_the_generated_one(monkeypatch: pytest.MonkeyPatch) -> None:
    written = io.StringIO()
    monkeypatch.setattr(sys, "stdout", written)
    asyncapi.main()
    assert DOCUMENT.read_text() == written.getvalue(), (
        "docs/asyncapi.yaml is stale: run `.venv/bin/python -m shared.contracts.asyncapi > docs/asyncapi.yaml`"
    )


def test_every_topic_key_and_type_is_in_the_document() -> None:
    document = yaml.safe_load(DOCUMENT.read_text())
    assert document["asyncapi"] == "3.0.0"
    addresses = {c["address"] for c in document["channels"].values()}
    assert set(Topics().all()) <= addresses
    messages = document["components"]["messages"]
    # A tombstone is a record without a value, not a message; the keys topic's channel describes it.
    assert set(PAYLOAD_TYPES) - {TOMBSTONE} <= set(messages)
    assert {f"webhook.{t}" for t in WEBHOOK_PAYLOADS} <= set(messages)
    schemas = document["components"]["schemas"]
    for name, message in messages.items():
        for part in message["payload"].get("allOf", []):
            target = part.get("$ref") or part["properties"]["data"]["$ref"]
            assert target.removeprefix("#/components/schemas/") in schemas, (name, target)
        if name != "deadletter" and not name.startswith("webhook."):
            assert message["bindings"]["kafka"]["key"]["description"]  # every topic says its key
