"""What the handlers need from the running service, built once in the app's setup."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from events.config import EventsSettings
from events.repository.stores import Repository
from shared.mongo.batch_outbox import BatchOutbox
from shared.mongo.outbox import OutboxRelay


@dataclass(frozen=True)
class EventsContext:
    settings: EventsSettings
    repo: Repository
    relay: OutboxRelay
    batches: BatchOutbox
    qr_key: Ed25519PublicKey | None
