"""Door check-ins (stored with their AttendanceRecorded event in one write) and bulk attendance (batch outbox)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from pymongo.errors import DuplicateKeyError

from events.context import EventsContext
from events.domain.attendance import (
    CHECKIN_ID_CONFLICT,
    PARTICIPANT_ERASED,
    Claim,
    EventRef,
    Outcome,
    RecordError,
    Result,
    plan_batch,
)
from events.domain.catalogue import CANCELLED
from events.domain.rules import RuleBroken, check_checkin_time
from events.handlers.access import batch_partner, ensure_can_check_in, ensure_can_count_checkins
from events.handlers.participants import release_pending
from events.messages import recorded_entry
from events.repository.stores import AWAITING_FIELD
from events.routes.schemas import BatchRecord, CheckinCreate
from shared.clock import to_millis
from shared.contracts.identity import Principal
from shared.http.problems import ProblemError
from shared.mongo.batch_outbox import BATCH_FIELD
from shared.mongo.client import Document
from shared.mongo.outbox import new_document_outbox
from shared.qr_tokens import InvalidToken, verify


def attendance_document(
    ctx: EventsContext, claim: Claim, partner_id: str, outcome: Outcome, batch_id: str, recorded_at: datetime
) -> Document:
    """The attendance; `batch_id` names the request that stored it, so a retried bulk insert recognises its own."""
    doc = {
        "_id": claim.attendance_id,
        "programme_id": ctx.settings.programme_id,
        "event_id": claim.event_id,
        "participant_id": claim.participant_id,
        "partner_id": partner_id,
        "checkin_id": claim.checkin_id,
        "checked_in_at": claim.checked_in_at,
        "recorded_at": recorded_at,
        "status": str(outcome),
        BATCH_FIELD: batch_id,
    }
    if outcome is Outcome.PENDING:
        doc[AWAITING_FIELD] = claim.participant_id
    return doc


# Single check-ins


async def record_checkin(
    *, ctx: EventsContext, caller: Principal, event_id: str, body: CheckinCreate
) -> tuple[Document, bool]:
    """The attendance and whether it is new (False: the first check-in of a re-scan or a replay)."""
    # Looked up together: one round trip less on a door's path. A QR token proves the participant known.
    event, known, erased = await asyncio.gather(
        ctx.repo.get_event(event_id),
        _known(ctx, body.participant_id),
        _erased(ctx, body.participant_id),
    )
    if event is None:
        raise ProblemError(404, "Event not found", "No event has this id.", type_="event-not-found")
    ensure_can_check_in(caller, event)
    if event["status"] == CANCELLED:
        raise ProblemError(
            409, "Event cancelled", "A cancelled event takes no check-ins.", type_="event-cancelled"
        )
    if erased:
        raise _record_error(PARTICIPANT_ERASED)
    checked_in_at = body.checked_in_at or to_millis(datetime.now(UTC))
    try:
        check_checkin_time(checked_in_at, datetime.now(UTC))
    except RuleBroken as exc:
        raise ProblemError(422, "Invalid check-in time", str(exc), type_="validation") from exc
    participant_id = await _participant_of(ctx, body)
    claim = Claim(event_id, participant_id, str(body.checkin_id or uuid.uuid4()), checked_in_at)
    outcome = Outcome.RECORDED if known or body.qr_token is not None else Outcome.PENDING
    now = to_millis(datetime.now(UTC))
    doc = attendance_document(ctx, claim, event["partner_id"], outcome, str(uuid.uuid4()), now)
    doc.update(
        new_document_outbox([recorded_entry(ctx.settings, doc)])
    )  # one document: its own outbox costs no extra write
    try:
        await ctx.repo.insert_attendance(doc)
    except DuplicateKeyError:
        return await _first_checkin(ctx, claim, client_checkin_id=body.checkin_id is not None), False
    ctx.relay.hand_over(ctx.repo.attendance, [doc])
    if outcome is Outcome.PENDING and await _released(ctx, [participant_id]):
        doc["status"] = str(Outcome.RECORDED)
    return doc, True


async def count_checkins(*, ctx: EventsContext, caller: Principal, event_id: str) -> int:
    """How many people are checked in at one event, from every device and upload (pending ones too)."""
    event = await ctx.repo.get_event(event_id)
    if event is None:
        raise ProblemError(404, "Event not found", "No event has this id.", type_="event-not-found")
    ensure_can_count_checkins(caller, event)
    return await ctx.repo.count_attendance(event_id)


async def _known(ctx: EventsContext, participant_id: str | None) -> bool:
    return participant_id is not None and bool(await ctx.repo.known_participants([participant_id]))


async def _erased(ctx: EventsContext, participant_id: str | None) -> bool:
    return participant_id is not None and bool(await ctx.repo.erased_among([participant_id]))


async def _participant_of(ctx: EventsContext, body: CheckinCreate) -> str:
    """The participant named by id, or proven by a QR token (then remembered as known)."""
    if body.participant_id is not None:
        return body.participant_id
    assert body.qr_token is not None
    if ctx.qr_key is None:
        raise ProblemError(503, "QR check-in unavailable", "No QR verification key is configured.")
    try:
        claims = verify(body.qr_token, ctx.qr_key)
    except InvalidToken as exc:
        raise ProblemError(422, "Invalid QR token", str(exc), type_="invalid-qr-token") from exc
    if claims.prg != ctx.settings.programme_id:
        raise ProblemError(
            422, "Invalid QR token", "The token belongs to another programme.", type_="invalid-qr-token"
        )
    # A token outlives its participant's erasure: refused, and the erased participant is not remembered.
    if await _erased(ctx, claims.pid):
        raise _record_error(PARTICIPANT_ERASED)
    # A validly signed token proves registration made this participant, even before its event arrives.
    await ctx.repo.remember_participants({claims.pid: {"partner_id": claims.prt, "programme_id": claims.prg}})
    return claims.pid


async def _first_checkin(ctx: EventsContext, claim: Claim, *, client_checkin_id: bool) -> Document:
    if client_checkin_id:
        owner = await ctx.repo.attendance_by_checkin(claim.checkin_id)
        if owner is not None and owner["_id"] != claim.attendance_id:
            raise _checkin_conflict()
    first = await ctx.repo.get_attendance(claim.attendance_id)
    if first is None:  # the key that collided was a checkin_id whose attendance is gone or moved
        raise _checkin_conflict()
    return first


def _checkin_conflict() -> ProblemError:
    return _record_error(CHECKIN_ID_CONFLICT)


def _record_error(error: RecordError) -> ProblemError:
    return ProblemError(error.status, error.title, error.detail, type_=error.type)


async def _released(ctx: EventsContext, participant_ids: Sequence[str]) -> set[str]:
    """Close the race with the participants consumer: release pending attendance of now-known participants."""
    known = await ctx.repo.known_participants(set(participant_ids))
    if known:
        await release_pending(ctx.settings, ctx.repo, ctx.relay, known)
    return known


# Batches


async def record_batch(*, ctx: EventsContext, caller: Principal, records: list[Any]) -> list[Result]:
    """A result per record, in request order; all storage in a handful of bulk round trips."""
    partner_id = batch_partner(caller)
    if len(records) > ctx.settings.max_batch_records:
        raise ProblemError(
            413,
            "Batch too large",
            f"A batch holds at most {ctx.settings.max_batch_records} records.",
            type_="batch-too-large",
        )
    now = datetime.now(UTC)
    items = [_claim_of(raw, now) for raw in records]
    claims = [item for item in items if isinstance(item, Claim)]
    participant_ids = {c.participant_id for c in claims}
    event_docs, stored, known, erased = await asyncio.gather(
        ctx.repo.events_by_id({c.event_id for c in claims}),
        ctx.repo.stored_attendance([c.attendance_id for c in claims], [c.checkin_id for c in claims]),
        ctx.repo.known_participants(participant_ids),
        ctx.repo.erased_among(participant_ids),
    )
    plan = plan_batch(
        items,
        events={
            eid: EventRef(eid, doc["partner_id"], doc["status"] == CANCELLED)
            for eid, doc in event_docs.items()
        },
        partner_id=partner_id,
        stored_ids={doc["_id"] for doc in stored},
        stored_checkins={doc["checkin_id"]: doc["_id"] for doc in stored},
        known_participants=known,
        erased_participants=erased,
    )
    batch_id, recorded_at = str(uuid.uuid4()), to_millis(now)
    docs = [
        attendance_document(
            ctx, claim, event_docs[claim.event_id]["partner_id"], outcome, batch_id, recorded_at
        )
        for _, claim, outcome in plan.to_insert
    ]
    batch, refused_at = await ctx.batches.insert_many(
        ctx.repo.attendance, batch_id, docs, ctx.repo.insert_attendance_slice
    )
    refused = set(refused_at)
    stored_by = await ctx.repo.batches_of([docs[i]["_id"] for i in refused]) if refused else {}
    # A retried insert may find documents its own earlier attempt stored: those count as inserted.
    refused = {i for i in refused if stored_by.get(docs[i]["_id"]) != batch_id}
    await ctx.batches.stored(batch, [doc for i, doc in enumerate(docs) if i not in refused])
    raced = set(stored_by)
    pending = {claim.participant_id for _, claim, outcome in plan.to_insert if outcome is Outcome.PENDING}
    released = await _released(ctx, list(pending)) if pending else set()
    for position, (index, claim, outcome) in enumerate(plan.to_insert):
        plan.results[index] = _inserted_result(claim, outcome, position in refused, raced, released)
    return [result for result in plan.results if result is not None]


def _inserted_result(
    claim: Claim, outcome: Outcome, refused: bool, raced: set[str], released: set[str]
) -> Result:
    aid = claim.attendance_id
    if refused:  # another request stored the same pair or checkin_id between our read and our write
        return (
            Result(Outcome.DUPLICATE, aid)
            if aid in raced
            else Result(Outcome.ERROR, error=CHECKIN_ID_CONFLICT)
        )
    if outcome is Outcome.PENDING and claim.participant_id in released:
        return Result(Outcome.RECORDED, aid)
    return Result(outcome, aid)


def _claim_of(raw: Any, now: datetime) -> Claim | RecordError:
    try:
        record = BatchRecord.model_validate(raw)
        check_checkin_time(record.checked_in_at, now)
    except ValidationError as exc:
        return RecordError(422, "validation", "Invalid record", _summary(exc))
    except RuleBroken as exc:
        return RecordError(422, "validation", "Invalid record", f"checked_in_at: {exc}")
    checkin_id = str(record.checkin_id or uuid.uuid4())
    return Claim(record.event_id, record.participant_id, checkin_id, record.checked_in_at)


def _summary(exc: ValidationError) -> str:
    """Where and why, without echoing the input back."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}" for err in exc.errors()[:5]
    )
