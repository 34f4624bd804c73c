"""The AsyncAPI 3.0 document of every topic and of webhook deliveries, generated from the event models.

`python -m shared.contracts.asyncapi > docs/asyncapi.yaml` writes it; a test regenerates it and compares,
so the document cannot drift from the models (docs/architecture.md, Topics and event contracts).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import (
    ATTENDANCE_RECORDED,
    ATTENDANCE_RELEASED,
    COUNTERS_SNAPSHOT,
    EVENT_CANCELLED,
    EVENT_SCHEDULED,
    EVENT_UPDATED,
    PARTICIPANT_ERASED,
    PARTICIPANT_KEY,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    PARTITION_PARTIAL,
    PARTNER_REGISTERED,
    PARTNER_RENAMED,
)
from shared.contracts.registry import PAYLOAD_TYPES
from shared.contracts.topics import Topics
from shared.contracts.webhooks import WEBHOOK_PAYLOADS

REF = "#/components/schemas/{model}"
_FOREVER = {"cleanup.policy": ["delete"], "retention.ms": -1, "retention.bytes": -1}


@dataclass(frozen=True)
class Topic:
    """A topic as the contract states it: who writes it, its key, how long it keeps what, which types."""

    name: str
    address: str
    producer: str
    key: str
    retention: str
    types: tuple[str, ...]
    config: dict[str, Any]


def topics() -> list[Topic]:
    """Every topic of `shared.contracts.topics.Topics`, unprefixed."""
    names = Topics()
    return [
        Topic(
            "participants",
            names.participants,
            "registration",
            "participant id",
            "forever",
            (PARTICIPANT_REGISTERED, PARTICIPANT_UPDATED, PARTICIPANT_ERASED),
            _FOREVER,
        ),
        Topic(
            "participant-keys",
            names.participant_keys,
            "registration",
            "participant id (partitioned as participants); an erasure publishes a tombstone (no value)",
            "compacted: each participant's data key until erasure, then removed by the log cleaner within "
            "PULSE_KEY_SHRED_S x 2 plus the cleaner's pass (docs/privacy.md)",
            (PARTICIPANT_KEY,),
            {"cleanup.policy": ["compact"]},
        ),
        Topic(
            "events",
            names.events,
            "events",
            "event id",
            "forever",
            (EVENT_SCHEDULED, EVENT_UPDATED, EVENT_CANCELLED),
            _FOREVER,
        ),
        Topic(
            "attendance",
            names.attendance,
            "events",
            "participant id (so a participant and its attendance share a partition number)",
            "forever",
            (ATTENDANCE_RECORDED, ATTENDANCE_RELEASED),
            _FOREVER,
        ),
        Topic(
            "partners",
            names.partners,
            "registration",
            "partner id",
            "forever",
            (PARTNER_REGISTERED, PARTNER_RENAMED),
            _FOREVER,
        ),
        Topic(
            "counters",
            names.counters,
            "metrics",
            "programme id",
            "compacted: the latest snapshot of each programme",
            (COUNTERS_SNAPSHOT,),
            {"cleanup.policy": ["compact"]},
        ),
        Topic(
            "partials",
            names.partials,
            "metrics (the owner of each fact partition)",
            "the fact partition's number; one partition, read by the one merger",
            "compacted: the latest partial of each fact partition",
            (PARTITION_PARTIAL,),
            {"cleanup.policy": ["compact"]},
        ),
        Topic(
            "deadletter",
            names.deadletter,
            "any consumer",
            "the original message's key",
            "forever",
            (),
            _FOREVER,
        ),
    ]


def _schemas() -> dict[str, Any]:
    """JSON Schemas of the envelope and of every payload, as AsyncAPI components."""
    models: set[type[BaseModel]] = {CloudEvent, *PAYLOAD_TYPES.values(), *WEBHOOK_PAYLOADS.values()}
    ordered = sorted(models, key=lambda m: m.__name__)
    _, definitions = models_json_schema([(m, "validation") for m in ordered], ref_template=REF)
    return dict(sorted(definitions.get("$defs", {}).items()))


def _envelope(type_: str, model: type[BaseModel]) -> dict[str, Any]:
    """A CloudEvent of one type whose `data` is one model."""
    return {
        "allOf": [
            {"$ref": REF.format(model="CloudEvent")},
            {
                "type": "object",
                "properties": {"type": {"const": type_}, "data": {"$ref": REF.format(model=model.__name__)}},
            },
        ]
    }


def _summary(model: type[BaseModel]) -> str:
    return (model.__doc__ or model.__name__).strip().splitlines()[0]


_KAFKA_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "Kafka record headers: the CloudEvent's id and type, and the request and trace it came from.",
    "properties": {
        "ce_id": {"type": "string"},
        "ce_type": {"type": "string"},
        "x-request-id": {"type": "string"},
        "traceparent": {"type": "string", "description": "W3C trace context, when tracing is on"},
    },
}
_WEBHOOK_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "Standard Webhooks headers; see docs/webhooks.md for verifying the signature.",
    "required": ["webhook-id", "webhook-timestamp", "webhook-signature"],
    "properties": {
        "webhook-id": {"type": "string", "description": "the CloudEvent's id: the same on every attempt"},
        "webhook-timestamp": {"type": "string", "description": "Unix seconds of this attempt"},
        "webhook-signature": {
            "type": "string",
            "description": "space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per secret in use",
        },
        "content-type": {"const": "application/cloudevents+json; charset=utf-8"},
    },
}


def document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document, as plain data."""
    models = PAYLOAD_TYPES
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in topics():
        refs = {}
        for type_ in topic.types:
            model = models[type_]
            messages[type_] = {
                "name": type_,
                "title": type_,
                "summary": _summary(model),
                "contentType": "application/cloudevents+json",
                "headers": {"$ref": REF.format(model="KafkaHeaders")},
                "payload": _envelope(type_, model),
                "bindings": {"kafka": {"key": {"type": "string", "description": topic.key}}},
            }
            refs[type_] = {"$ref": f"#/components/messages/{type_}"}
        if not topic.types:  # the dead-letter topic holds any message, as it was received
            refs["deadletter"] = {"$ref": "#/components/messages/deadletter"}
            messages["deadletter"] = {
                "name": "deadletter",
                "summary": "A message a consumer could not read, as it was, with why in its headers.",
                "headers": {
                    "type": "object",
                    "properties": {
                        name: {"type": "string"}
                        for name in (
                            "error",
                            "original_topic",
                            "original_partition",
                            "original_offset",
                            "consumer_group",
                        )
                    },
                },
                "payload": {"description": "the original value, unchanged"},
            }
        channels[topic.name] = {
            "address": topic.address,
            "title": topic.address,
            "description": (
                f"Written by {topic.producer}. Key: {topic.key}. Retention: {topic.retention}. "
                "Names carry the PULSE_TOPIC_PREFIX of the deployment."
            ),
            "messages": refs,
            "bindings": {"kafka": {"topic": topic.address, "topicConfiguration": topic.config}},
        }
        operations[f"publish_{topic.name}"] = {
            "action": "send",
            "title": f"{topic.producer} publishes to {topic.address}",
            "channel": {"$ref": f"#/channels/{topic.name}"},
            "messages": [{"$ref": f"#/channels/{topic.name}/messages/{name}"} for name in refs],
        }
    webhook_refs = {}
    for type_, model in WEBHOOK_PAYLOADS.items():
        name = f"webhook.{type_}"
        messages[name] = {
            "name": type_,
            "title": f"{type_} (webhook)",
            "summary": _summary(model),
            "contentType": "application/cloudevents+json",
            "headers": {"$ref": REF.format(model="WebhookHeaders")},
            "payload": _envelope(type_, model),
        }
        webhook_refs[name] = {"$ref": f"#/components/messages/{name}"}
    channels["webhook"] = {
        "address": None,
        "title": "A partner's webhook endpoint",
        "description": (
            "The URL a partner registered with POST /v1/webhooks; each delivery is an HTTP POST of one "
            "CloudEvent (structured mode), signed per Standard Webhooks (docs/webhooks.md)."
        ),
        "servers": [{"$ref": "#/servers/partner"}],
        "messages": webhook_refs,
        "bindings": {"http": {"method": "POST"}},
    }
    operations["deliver_webhook"] = {
        "action": "send",
        "title": "the gateway delivers to a partner's endpoint",
        "channel": {"$ref": "#/channels/webhook"},
        "messages": [{"$ref": f"#/channels/webhook/messages/{name}"} for name in webhook_refs],
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Programme Pulse events",
            "version": "1",
            "description": (
                "Every Kafka topic of Programme Pulse and every webhook delivery, generated from the pydantic "
                "models in shared/contracts (python -m shared.contracts.asyncapi). Messages are CloudEvents 1.0 "
                "in structured JSON mode; types are versioned (.v1) and only gain optional fields; consumers "
                "ignore fields and types they do not know."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "kafka": {
                "host": "{bootstrap}",
                "protocol": "kafka",
                "description": "the deployment's Kafka cluster (KAFKA_BOOTSTRAP)",
                "variables": {"bootstrap": {"default": "127.0.0.1:9092"}},
            },
            "partner": {
                "host": "{host}",
                "protocol": "https",
                "description": "a partner's webhook receiver",
                "variables": {"host": {"default": "hooks.example.org"}},
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": {**_schemas(), "KafkaHeaders": _KAFKA_HEADERS, "WebhookHeaders": _WEBHOOK_HEADERS},
        },
    }


def main() -> None:
    import yaml  # a development tool only: the services never import this module

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # each part written out where it stands: easier to read than anchors

    yaml.dump(document(), sys.stdout, Dumper=Dumper, sort_keys=False, width=110, allow_unicode=True)


if __name__ == "__main__":
    main()
