"""Reading, erasing and issuing QR tokens for one partner's participants."""

from __future__ import annotations

from datetime import datetime, timedelta

from registration.context import RegistrationContext
from registration.domain.errors import (
    ConcurrentChange,
    ParticipantErased,
    ParticipantNotFound,
    QrNotConfigured,
)
from registration.domain.participants import Participant, Tombstone, erase
from shared import qr_tokens
from shared.contracts.identity import Principal, Scope
from shared.kafka.producer import Deletion, Outgoing

_ATTEMPTS = 5


async def owned(ctx: RegistrationContext, caller: Principal, participant_id: str) -> Participant | Tombstone:
    """The participant if the caller may see it; another partner's participant does not exist for them."""
    found = await ctx.participants.get(participant_id)
    if found is None or (caller.scope is not Scope.ADMIN and found.partner_id != caller.partner_id):
        raise ParticipantNotFound(f"No participant has id {participant_id!r}.")
    return found


async def live(ctx: RegistrationContext, caller: Principal, participant_id: str) -> Participant:
    found = await owned(ctx, caller, participant_id)
    if isinstance(found, Tombstone):
        raise ParticipantErased()
    return found


async def erase_participant(ctx: RegistrationContext, caller: Principal, participant_id: str) -> None:
    """Erase for good; erasing an erased participant again changes nothing and emits nothing."""
    for _ in range(_ATTEMPTS):
        found = await owned(ctx, caller, participant_id)
        if isinstance(found, Tombstone):
            return
        tombstone = erase(found, ctx.clock())
        messages: list[Outgoing | Deletion] = [
            ctx.messages.erased(tombstone),
            ctx.messages.key_deleted(tombstone),
        ]
        if await ctx.participants.erase(tombstone, found.version, messages):
            return
    raise ConcurrentChange()


def issue_qr_token(ctx: RegistrationContext, participant: Participant) -> tuple[str, datetime]:
    """A signed check-in token the events service verifies offline with the public key."""
    if not ctx.settings.qr_private_key:
        raise QrNotConfigured()
    key = qr_tokens.load_private_key(ctx.settings.qr_private_key)
    expires_at = ctx.clock().replace(microsecond=0) + timedelta(days=ctx.settings.qr_token_ttl_days)
    claims = qr_tokens.QrClaims(
        pid=participant.id,
        prt=participant.partner_id,
        prg=participant.programme_id,
        exp=int(expires_at.timestamp()),
    )
    return qr_tokens.sign(claims, key), expires_at
