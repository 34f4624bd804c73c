"""What the handlers need from the running service, built once in the app's setup (unit tests build fakes)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from events.config import EventsSettings
from events.handlers.storage import AttendanceStore, EventStore, ParticipantStore
from events.messages import EventMessages
from shared.clock import Clock, now


def random_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class EventsContext:
    settings: EventsSettings
    events: EventStore
    attendance: AttendanceStore
    participants: ParticipantStore
    messages: EventMessages
    qr_key: Ed25519PublicKey | None
    clock: Clock = now
    new_id: Callable[[], str] = field(default=random_id)
