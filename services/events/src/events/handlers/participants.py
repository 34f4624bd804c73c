"""Keeps the projection of known participants from `pulse.participants` and releases pending attendance."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from events.config import EventsSettings
from events.messages import released_entry
from events.repository.stores import Repository
from shared.clock import to_millis
from shared.contracts.envelope import CloudEvent
from shared.contracts.payloads import (
    PARTICIPANT_ERASED,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    ParticipantChanged,
    ParticipantErased,
)
from shared.kafka.consumer import Received
from shared.mongo.client import Document
from shared.mongo.outbox import OutboxRelay

log = logging.getLogger(__name__)


def projected_fields(event: CloudEvent) -> tuple[str, Document] | None:
    """The participant id and the fields this service keeps of it, or None for other event types."""
    if event.type in (PARTICIPANT_REGISTERED, PARTICIPANT_UPDATED):
        changed = ParticipantChanged.model_validate(event.data)
        return changed.participant_id, {
            "partner_id": changed.partner_id,
            "programme_id": changed.programme_id,
        }
    if event.type == PARTICIPANT_ERASED:
        erased = ParticipantErased.model_validate(event.data)
        # Erasure removes personal data elsewhere; the pseudonymous id stays a known participant.
        return erased.participant_id, {
            "partner_id": erased.partner_id,
            "programme_id": erased.programme_id,
            "erased": True,
        }
    return None


async def release_pending(
    settings: EventsSettings, repo: Repository, relay: OutboxRelay, participant_ids: Iterable[str]
) -> int:
    """Pending attendance of these (now known) participants becomes recorded and says so on `pulse.attendance`."""
    now = to_millis(datetime.now(UTC))
    released = await repo.release_pending(participant_ids, lambda doc: released_entry(settings, doc, now))
    if released:
        relay.wake(repo.attendance)
    return released


async def apply_participant_facts(
    batch: Sequence[Received], settings: EventsSettings, repo: Repository, relay: OutboxRelay
) -> None:
    """Idempotent: upserts keyed by participant id, then one update of their pending attendance."""
    changes: dict[str, Document] = {}
    for received in batch:
        try:
            projected = projected_fields(received.event)
        except ValidationError:
            # Retrying cannot fix a payload that breaks the contract; blocking the partition would be worse.
            log.warning("ignored a malformed %s payload (event %s)", received.event.type, received.event.id)
            continue
        if projected is not None:
            pid, fields = projected
            changes[pid] = {**changes.get(pid, {}), **fields}
    if changes:
        # Erasures first: from that write on, every instance refuses the participant's check-ins.
        await repo.remember_erasures([pid for pid, fields in changes.items() if fields.get("erased")])
        await repo.remember_participants(changes)
        await release_pending(settings, repo, relay, changes)
