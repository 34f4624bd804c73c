"""Participants: registration (single and batch), reading, erasure and QR check-in tokens."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from registration.domain.errors import RegistrationError
from registration.domain.participants import Outcome, Participant, Tombstone
from registration.handlers import participants as participant_handlers
from registration.handlers import records as record_handlers
from registration.handlers.participants import Registered
from registration.routes.dependencies import (
    AfterCursorDep,
    ContextDep,
    LimitQuery,
    PartnerIdDep,
    next_cursor,
)
from registration.routes.problems import item_error
from registration.routes.qr_images import qr_png, qr_svg
from registration.routes.schemas import (
    PARTICIPANT_ID,
    BatchIn,
    BatchItemResult,
    BatchOut,
    ConsentRead,
    ParticipantExport,
    ParticipantIn,
    ParticipantPage,
    ParticipantRead,
    ParticipantWritten,
    QrTokenRead,
)
from shared.clock import now
from shared.contracts.identity import Scope
from shared.http.identity import CallerDep, require_scope
from shared.http.responses import problems

router = APIRouter(prefix="/v1/participants", tags=["participants"])
ParticipantIdPath = Annotated[
    str, Path(min_length=1, max_length=64, description="the participant's id", examples=[PARTICIPANT_ID])
]
_PARTICIPANT = {"participant_id": "$response.body#/id"}
# Where a registration leads (OpenAPI links). Not to the subject access export: it answers for erased
# participants too (docs/privacy.md), which a tool following links would take for a use after delete.
_PARTICIPANT_LINKS = {
    "getParticipant": {"operationId": "getParticipant", "parameters": _PARTICIPANT},
    "participantQr": {"operationId": "participantQr", "parameters": _PARTICIPANT},
    "eraseParticipant": {"operationId": "eraseParticipant", "parameters": _PARTICIPANT},
}
_ERASED = "The participant was erased."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {
            "description": "the same partner_ref again: the participant, unchanged or updated",
            "model": ParticipantWritten,
            "links": _PARTICIPANT_LINKS,
        },
        201: {"links": _PARTICIPANT_LINKS},
        **problems(
            403,
            409,
            422,
            s409="The participant changed concurrently; retry.",
            s422="Invalid, breaks a registration rule, or names an unknown organisation.",
        ),
    },
)
async def register_participant(
    body: ParticipantIn, partner_id: PartnerIdDep, ctx: ContextDep, response: Response
) -> ParticipantWritten:
    """Register a participant (partner keys): 201 when new, 200 for the same partner_ref again.

    `partner_ref` (the partner's own id for the person) makes registration idempotent: sending it again
    answers with the same id, updated if the details changed.
    """
    registered = await participant_handlers.register_one(ctx, partner_id, body.registration())
    if registered.outcome is not Outcome.CREATED:
        response.status_code = status.HTTP_200_OK
    read = participant_read(registered.participant)
    return ParticipantWritten(**read.model_dump(), status=registered.outcome.value)


@router.post(":batch", response_model_exclude_none=True, responses=problems(403, 413))
async def register_batch(body: BatchIn, partner_id: PartnerIdDep, ctx: ContextDep) -> BatchOut:
    """Register up to 10,000 participants; a result per item, in request order.

    Each result is `created`, `unchanged`, `updated` (its partner_ref was known) or `error` with why.
    """
    items = [ParticipantIn.registration_of(raw) for raw in body.participants]
    results = await participant_handlers.register_batch(ctx, partner_id, items)
    return BatchOut(results=[_item_result(index, result) for index, result in enumerate(results)])


@router.get("", responses=problems(400, 403))
async def list_participants(
    caller: CallerDep, ctx: ContextDep, after: AfterCursorDep, limit: LimitQuery = 100
) -> ParticipantPage:
    """List participants: a partner its own, an admin everyone's; erased participants are left out."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    partner_id = None if caller.scope is Scope.ADMIN else caller.partner_id or ""
    found = await ctx.participants.page(partner_id, after, limit)
    return ParticipantPage(
        items=[participant_read(p) for p in found], next_cursor=next_cursor([p.id for p in found], limit)
    )


@router.get("/{participant_id}", responses=problems(403, 404, 410, s410=_ERASED))
async def get_participant(
    participant_id: ParticipantIdPath, caller: CallerDep, ctx: ContextDep
) -> ParticipantRead:
    """Read a participant of the caller's partner (an admin: anyone's)."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return participant_read(await record_handlers.live(ctx, caller, participant_id))


@router.get(
    "/{participant_id}/export",
    responses=problems(403, 404, s404="No such participant of the caller's partner."),
)
async def export_participant(
    participant_id: ParticipantIdPath, caller: CallerDep, ctx: ContextDep
) -> ParticipantExport:
    """Export everything registration holds about a participant (subject access), erased ones too.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).
    """
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    return participant_export(await record_handlers.owned(ctx, caller, participant_id))


@router.delete(
    "/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 409, s409="The participant changed concurrently; retry."),
)
async def erase_participant(
    participant_id: ParticipantIdPath, caller: CallerDep, ctx: ContextDep
) -> Response:
    """Erase a participant's personal data, for good; repeating it is harmless (docs/privacy.md)."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    await record_handlers.erase_participant(ctx, caller, participant_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{participant_id}/qr",
    response_model=QrTokenRead,
    responses={
        200: {
            "content": {
                "image/svg+xml": {"example": "<svg xmlns='http://www.w3.org/2000/svg'>…</svg>"},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **problems(403, 404, 410, 503, s410=_ERASED, s503="QR signing is not configured."),
    },
)
async def participant_qr(
    participant_id: ParticipantIdPath,
    caller: CallerDep,
    ctx: ContextDep,
    format: Annotated[
        Literal["json", "svg", "png"], Query(description="json, or the QR code as an image")
    ] = "json",
) -> QrTokenRead | Response:
    """Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG)."""
    require_scope(caller, Scope.ADMIN, Scope.PARTNER)
    participant = await record_handlers.live(ctx, caller, participant_id)
    token, expires_at = record_handlers.issue_qr_token(ctx, participant)
    if format == "svg":
        return Response(qr_svg(token), media_type="image/svg+xml")
    if format == "png":
        return Response(qr_png(token), media_type="image/png")
    return QrTokenRead(token=token, expires_at=expires_at, participant_id=participant.id)


def _item_result(index: int, result: Registered | RegistrationError) -> BatchItemResult:
    if isinstance(result, RegistrationError):
        return BatchItemResult(index=index, status="error", error=item_error(result))
    return BatchItemResult(index=index, status=result.outcome.value, id=result.participant.id)


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
            exported_at=now(),
            elsewhere=_ELSEWHERE,
        )
    read = participant_read(found)
    return ParticipantExport(
        **read.model_dump(),
        status="registered",
        erased_at=None,
        exported_at=now(),
        elsewhere=_ELSEWHERE,
    )
