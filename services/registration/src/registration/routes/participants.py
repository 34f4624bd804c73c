"""Participants: registration (single and batch), reading, erasure and QR check-in tokens."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response, status

from registration.domain import clock
from registration.domain.participants import Outcome, Participant, Tombstone
from registration.handlers import participants as participant_handlers
from registration.handlers import records as record_handlers
from registration.routes.dependencies import ContextDep, CursorQuery, LimitQuery, PartnerIdDep
from registration.routes.qr_images import qr_png, qr_svg
from registration.routes.schemas import (
    BatchIn,
    BatchOut,
    ConsentRead,
    ParticipantExport,
    ParticipantIn,
    ParticipantPage,
    ParticipantRead,
    ParticipantWritten,
    QrTokenRead,
)
from shared.contracts.identity import Scope
from shared.http.identity import CallerDep, require_scope

router = APIRouter(prefix="/v1/participants", tags=["participants"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_participant(
    body: ParticipantIn, partner_id: PartnerIdDep, ctx: ContextDep, response: Response
) -> ParticipantWritten:
    """201 for a new participant; 200 for a replay of the same partner_ref (unchanged or updated)."""
    registered = await participant_handlers.register_one(ctx, partner_id, body)
    if registered.outcome is not Outcome.CREATED:
        response.status_code = status.HTTP_200_OK
    read = participant_read(registered.participant)
    return ParticipantWritten(**read.model_dump(), status=registered.outcome.value)


@router.post(":batch", response_model_exclude_none=True)
async def register_batch(body: BatchIn, partner_id: PartnerIdDep, ctx: ContextDep) -> BatchOut:
    """Up to 10,000 participants; a result per item in request order."""
    return BatchOut(results=await participant_handlers.register_batch(ctx, partner_id, body.participants))


@router.get("")
async def list_participants(
    caller: CallerDep, ctx: ContextDep, limit: LimitQuery = 100, cursor: CursorQuery = None
) -> ParticipantPage:
    """A partner sees its own participants, an admin everyone's; erased participants are left out."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    partner_id = None if caller.scope is Scope.ADMIN else caller.partner_id or ""
    found = await ctx.participants.page(partner_id, cursor, limit)
    next_cursor = found[-1].id if len(found) == limit else None
    return ParticipantPage(items=[participant_read(p) for p in found], next_cursor=next_cursor)


@router.get("/{participant_id}")
async def get_participant(participant_id: str, caller: CallerDep, ctx: ContextDep) -> ParticipantRead:
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return participant_read(await record_handlers.live(ctx, caller, participant_id))


@router.get(
    "/{participant_id}/export",
    responses={404: {"description": "No such participant of the caller's partner"}},
)
async def export_participant(participant_id: str, caller: CallerDep, ctx: ContextDep) -> ParticipantExport:
    """Subject access: everything registration holds about the participant, erased ones included.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).
    """
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return participant_export(await record_handlers.owned(ctx, caller, participant_id))


@router.delete("/{participant_id}", status_code=status.HTTP_204_NO_CONTENT)
async def erase_participant(participant_id: str, caller: CallerDep, ctx: ContextDep) -> Response:
    """Erasure of personal data, for good; repeating it is harmless."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    await record_handlers.erase_participant(ctx, caller, participant_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{participant_id}/qr", response_model=QrTokenRead)
async def participant_qr(
    participant_id: str,
    caller: CallerDep,
    ctx: ContextDep,
    format: Literal["json", "svg", "png"] = "json",
) -> QrTokenRead | Response:
    """The signed check-in token as JSON, or its QR code as SVG or PNG."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    participant = await record_handlers.live(ctx, caller, participant_id)
    token, expires_at = record_handlers.issue_qr_token(ctx, participant)
    if format == "svg":
        return Response(qr_svg(token), media_type="image/svg+xml")
    if format == "png":
        return Response(qr_png(token), media_type="image/png")
    return QrTokenRead(token=token, expires_at=expires_at, participant_id=participant.id)


def participant_read(p: Participant) -> ParticipantRead:
    d = p.details
    return ParticipantRead(
        id=p.id,
        partner_id=p.partner_id,
        programme_id=p.programme_id,
        partner_ref=p.partner_ref,
        role=d.role,
        given_name=d.given_name,
        family_name=d.family_name,
        email=d.email,
        organisation_id=d.organisation_id,
        gender=d.gender,
        ethnicity=d.ethnicity,
        nation=d.nation,
        region=d.region,
        consent=ConsentRead(
            data_processing=d.consent.data_processing,
            demographics=d.consent.demographics,
            recorded_at=p.consent_recorded_at,
        ),
        version=p.version,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


_ELSEWHERE = (
    "The events and metrics services hold this participant's pseudonymous id with their attendance, and "
    "metrics their role, organisation and demographic categories (only with consent), which travel on "
    "Kafka only encrypted with a key of this participant's that erasure deletes; no other service holds a "
    "name or an email."
)


def participant_export(found: Participant | Tombstone) -> ParticipantExport:
    if isinstance(found, Tombstone):
        return ParticipantExport(
            id=found.id,
            status="erased",
            partner_id=found.partner_id,
            programme_id=found.programme_id,
            role=found.role,
            partner_ref=None,
            given_name=None,
            family_name=None,
            email=None,
            organisation_id=None,
            gender=None,
            ethnicity=None,
            nation=None,
            region=None,
            consent=None,
            version=found.version,
            created_at=None,
            updated_at=None,
            erased_at=found.erased_at,
            exported_at=clock.now(),
            elsewhere=_ELSEWHERE,
        )
    read = participant_read(found)
    return ParticipantExport(
        **read.model_dump(),
        status="registered",
        erased_at=None,
        exported_at=clock.now(),
        elsewhere=_ELSEWHERE,
    )
