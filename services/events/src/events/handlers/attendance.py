"""Door check-ins and bulk uploads of attendance: what is recorded, pending, a duplicate or refused."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime

from events.context import EventsContext
from events.domain.access import batch_partner, ensure_can_check_in, ensure_can_count_checkins
from events.domain.attendance import Attendance, Checkin, Claim, Outcome, Record, Result, attend, plan_batch
from events.domain.errors import (
    BatchTooLarge,
    CheckinIdConflict,
    EventCancelled,
    EventNotFound,
    EventsError,
    InvalidQrToken,
    ParticipantErased,
    QrCheckinUnavailable,
    RuleBroken,
)
from events.domain.events import Event
from events.domain.rules import check_checkin_time
from events.handlers.catalogue import existing_event
from events.handlers.participants import release_pending
from events.handlers.storage import KnownParticipant
from shared.contracts.identity import Principal
from shared.contracts.vocabulary import AttendanceStatus
from shared.qr_tokens import InvalidToken, verify

# Asks which of some participants are known (or erased).
_Ask = Callable[[Collection[str]], Awaitable[set[str]]]

# Single check-ins


async def record_checkin(
    *, ctx: EventsContext, caller: Principal, event_id: str, checkin: Checkin
) -> tuple[Attendance, bool]:
    """The attendance and whether it is new (False: the first check-in of a re-scan or a replay)."""
    # Looked up together: one round trip less on a door's path. A QR token proves the participant known.
    event, known, erased = await asyncio.gather(
        _event_for_checkin(ctx, event_id),
        _among(ctx.participants.known, checkin.participant_id),
        _among(ctx.participants.erased_among, checkin.participant_id),
    )
    ensure_can_check_in(caller, event)
    if event.cancelled:
        raise EventCancelled("A cancelled event takes no check-ins.")
    if erased:
        raise ParticipantErased()
    now = ctx.clock()
    checked_in_at = checkin.checked_in_at or now
    check_checkin_time(checked_in_at, now)
    participant_id = await _participant_of(ctx, checkin)
    claim = Claim(event_id, participant_id, checkin.checkin_id or ctx.new_id(), checked_in_at)
    status = AttendanceStatus.RECORDED if known or checkin.qr_token else AttendanceStatus.PENDING
    attendance = attend(claim, event=event, status=status, batch_id=ctx.new_id(), now=now)
    if not await ctx.attendance.insert(attendance, ctx.messages.recorded(attendance)):
        return await _first_checkin(ctx, claim, client_checkin_id=checkin.checkin_id is not None), False
    if status is AttendanceStatus.PENDING and await _released(ctx, [participant_id]):
        attendance = replace(attendance, status=AttendanceStatus.RECORDED)
    return attendance, True


async def _event_for_checkin(ctx: EventsContext, event_id: str) -> Event:
    event = await ctx.events.for_checkin(event_id)
    if event is None:
        raise EventNotFound()
    return event


async def count_checkins(*, ctx: EventsContext, caller: Principal, event_id: str) -> int:
    """How many people are checked in at one event, from every device and upload (pending ones too)."""
    ensure_can_count_checkins(caller, await existing_event(ctx, event_id))
    return await ctx.attendance.count_at(event_id)


async def _among(ask: _Ask, participant_id: str | None) -> bool:
    return participant_id is not None and bool(await ask([participant_id]))


async def _participant_of(ctx: EventsContext, checkin: Checkin) -> str:
    """The participant named by id, or proven by a QR token (then remembered as known)."""
    if checkin.participant_id is not None:
        return checkin.participant_id
    if ctx.qr_key is None:
        raise QrCheckinUnavailable()
    try:
        claims = verify(checkin.qr_token or "", ctx.qr_key)
    except InvalidToken as exc:
        raise InvalidQrToken(str(exc)) from exc
    if claims.prg != ctx.settings.programme_id:
        raise InvalidQrToken("The token belongs to another programme.")
    # A token outlives its participant's erasure: refused, and the erased participant is not remembered.
    if await ctx.participants.erased_among([claims.pid]):
        raise ParticipantErased()
    # A validly signed token proves registration made this participant, even before its event arrives.
    await ctx.participants.remember({claims.pid: KnownParticipant(claims.prt, claims.prg)})
    return claims.pid


async def _first_checkin(ctx: EventsContext, claim: Claim, *, client_checkin_id: bool) -> Attendance:
    if client_checkin_id:
        owner = await ctx.attendance.by_checkin(claim.checkin_id)
        if owner is not None and owner.id != claim.attendance_id:
            raise CheckinIdConflict()
    first = await ctx.attendance.get(claim.attendance_id)
    if first is None:  # the key that collided was a checkin_id whose attendance is gone or moved
        raise CheckinIdConflict()
    return first


async def _released(ctx: EventsContext, participant_ids: Collection[str]) -> set[str]:
    """Close the race with the participants consumer: release pending attendance of now-known participants."""
    known = await ctx.participants.known(participant_ids)
    if known:
        await release_pending(ctx, known)
    return known


# Batches


async def record_batch(
    *, ctx: EventsContext, caller: Principal, records: Sequence[Record | EventsError]
) -> list[Result]:
    """A result per record, in request order (a record the request could not read is given as its error);
    all storage in a handful of bulk round trips."""
    partner_id = batch_partner(caller)
    if len(records) > ctx.settings.max_batch_records:
        raise BatchTooLarge(f"A batch holds at most {ctx.settings.max_batch_records} records.")
    now = ctx.clock()
    items = [_claim_of(ctx, record, now) for record in records]
    claims = [item for item in items if isinstance(item, Claim)]
    participant_ids = {c.participant_id for c in claims}
    events, stored, known, erased = await asyncio.gather(
        ctx.events.by_ids({c.event_id for c in claims}),
        ctx.attendance.stored([c.attendance_id for c in claims], [c.checkin_id for c in claims]),
        ctx.participants.known(participant_ids),
        ctx.participants.erased_among(participant_ids),
    )
    plan = plan_batch(
        items,
        events=events,
        partner_id=partner_id,
        stored_ids=set(stored.values()),
        stored_checkins=stored,
        known_participants=known,
        erased_participants=erased,
    )
    batch_id = ctx.new_id()
    attendances = [
        attend(claim, event=events[claim.event_id], status=status, batch_id=batch_id, now=now)
        for _, claim, status in plan.to_insert
    ]
    refused = await ctx.attendance.insert_batch(batch_id, attendances)
    pending = {a.participant_id for a in attendances if a.status is AttendanceStatus.PENDING}
    released = await _released(ctx, pending) if pending else set()
    for position, (index, claim, status) in enumerate(plan.to_insert):
        if position in refused.duplicates:  # another request stored the same pair between our read and write
            plan.results[index] = Result(Outcome.DUPLICATE, claim.attendance_id)
        elif position in refused.conflicts:
            plan.results[index] = Result(Outcome.ERROR, error=CheckinIdConflict())
        elif status is AttendanceStatus.PENDING and claim.participant_id not in released:
            plan.results[index] = Result(Outcome.PENDING, claim.attendance_id)
        else:
            plan.results[index] = Result(Outcome.RECORDED, claim.attendance_id)
    return [result for result in plan.results if result is not None]


def _claim_of(ctx: EventsContext, record: Record | EventsError, now: datetime) -> Claim | EventsError:
    if isinstance(record, EventsError):
        return record
    try:
        check_checkin_time(record.checked_in_at, now)
    except RuleBroken as exc:
        return RuleBroken(f"checked_in_at: {exc}")
    checkin_id = record.checkin_id or ctx.new_id()
    return Claim(record.event_id, record.participant_id, checkin_id, record.checked_in_at)
