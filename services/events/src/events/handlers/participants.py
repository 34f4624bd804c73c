"""What `pulse.participants` tells this service: who is known, who was erased; known, their pending attendance is released."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from events.context import EventsContext
from events.handlers.storage import KnownParticipant
from shared.contracts.payloads import ParticipantChanged, ParticipantErased


async def participants_changed(ctx: EventsContext, changes: Sequence[ParticipantChanged]) -> None:
    """Idempotent: upserts keyed by participant id, then one update of their pending attendance."""
    known = {c.participant_id: KnownParticipant(c.partner_id, c.programme_id) for c in changes}
    await ctx.participants.remember(known)
    await release_pending(ctx, known.keys())


async def participants_erased(ctx: EventsContext, erasures: Sequence[ParticipantErased]) -> None:
    """Erasures first: from that write on, every instance refuses the participant's check-ins."""
    known = {e.participant_id: KnownParticipant(e.partner_id, e.programme_id, erased=True) for e in erasures}
    await ctx.participants.remember_erasures(known.keys())
    await ctx.participants.remember(known)
    await release_pending(ctx, known.keys())


async def release_pending(ctx: EventsContext, participant_ids: Collection[str]) -> int:
    """Pending attendance of these (now known) participants becomes recorded and says so on `pulse.attendance`."""
    now = ctx.clock()
    return await ctx.attendance.release(
        participant_ids, lambda attendance: ctx.messages.released(attendance, now)
    )
